import { Injectable } from '@nestjs/common';
import type { TopicEvents } from '@prestanda/contracts';
import type { EntityManager } from 'typeorm';
import { isAffiliateProgram, programTerms } from './program-terms';
import { keepVersion, lockProgramVersions, writeProgram } from './programs.repository';

/** Keeps the program read model: the latest snapshot of every affiliate campaign, and every version's terms. */
@Injectable()
export class ProgramsService {
  async onCampaigns(events: TopicEvents['campaigns'][], m: EntityManager): Promise<void> {
    // The highest version per campaign in the chunk; every version's terms are kept on the way.
    const programs = events.map((e) => e.data).filter(isAffiliateProgram);
    if (!programs.length) return;
    const current = await lockProgramVersions(m, [...new Set(programs.map((p) => p.campaignId))].sort());
    for (const s of [...programs].sort((a, b) => a.version - b.version)) {
      const known = current.get(s.campaignId) ?? 0;
      if (s.version <= known) {
        await keepVersion(m, s.campaignId, s.version, programTerms(s));
        continue;
      }
      await writeProgram(m, { campaignId: s.campaignId, advertiserId: s.advertiserId, version: s.version, terms: programTerms(s), updatedAt: s.updatedAt });
      current.set(s.campaignId, s.version);
    }
  }
}
