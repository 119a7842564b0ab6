// A lifecycle of a team's own (LOCKSTEP_LIFECYCLE) that has no "new" stage, for tests of what a
// person starts in when nothing names a stage.
import { type LifecycleConfig, lifecycleSchema } from './lifecycle.config.ts';

/** Leads start at "lead", the entry stage furthest back on the main path (not the first listed). */
export const lifecycleWithoutNew: LifecycleConfig = lifecycleSchema.parse({
  entry: ['nurture', 'qualified', 'lead'],
  stages: [
    { key: 'lead', label: 'Lead', owner: 'marketing', funnelRank: 0, next: ['qualified', 'nurture'] },
    { key: 'qualified', label: 'Qualified', owner: 'sales', funnelRank: 1, next: ['customer', 'nurture'] },
    { key: 'customer', label: 'Customer', owner: 'sales', funnelRank: 2, next: [] },
    { key: 'nurture', label: 'Nurture', owner: 'marketing', next: ['lead'] },
  ],
});
