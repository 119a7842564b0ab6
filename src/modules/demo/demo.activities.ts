// What a person did while in each stage, so that behaviour and history tell the same story: the
// engagement that made them an MQL, the SDR's first call after acceptance, the AE's demo meeting,
// drip emails while in nurture and the click that brought them back.
import { browsingPages, type ChannelProfile, contentAssets, nurtureSubjects } from './demo.catalog.ts';
import { DAY, type JourneyStep, MINUTE } from './demo.journey.ts';
import type { Random } from './demo.random.ts';
import type { DemoActivityType } from './demo.types.ts';

export interface ActivityDraft {
  type: DemoActivityType;
  at: number;
  campaignId: string | null;
  properties: Record<string, unknown>;
}

export interface ActivityContext {
  rng: Random;
  now: number;
  profile: ChannelProfile;
  campaignId: string;
  landingPage: string;
  hot: boolean;
  webinarCampaignId: string;
  sdrId: string;
  aeId: string;
  /** The rule of the MQL moves the lead definition makes (JourneyContext.definition). */
  definitionRule?: string;
}

const MAX_NURTURE_SENDS = 10;

function engagement(ctx: ActivityContext, at: number): ActivityDraft {
  const { rng } = ctx;
  const kind = rng.weighted([
    ['page_view', 5],
    ['email_open', 3],
    ['email_click', 1],
    ['content_download', 1],
    ['webinar', 0.5],
  ] as const);
  switch (kind) {
    case 'page_view':
      return { type: kind, at, campaignId: null, properties: { url: rng.pick(browsingPages) } };
    case 'email_open':
    case 'email_click':
      return { type: kind, at, campaignId: null, properties: { subject: rng.pick(nurtureSubjects) } };
    case 'content_download':
      return { type: kind, at, campaignId: null, properties: { asset: rng.pick(contentAssets) } };
    case 'webinar':
      return { type: kind, at, campaignId: ctx.webinarCampaignId, properties: { attended: rng.chance(0.6) } };
  }
}

/** `count` times spread over (from, to), in order. */
function spread(rng: Random, from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.round(from + rng.next() * (to - from))).sort(
    (a, b) => a - b,
  );
}

function nurtureDrip(ctx: ActivityContext, enter: number, exit: number): ActivityDraft[] {
  const { rng } = ctx;
  const drafts: ActivityDraft[] = [];
  let sendAt = enter + rng.logNormal(7, 0.3) * DAY;
  for (let sends = 0; sendAt < exit && sends < MAX_NURTURE_SENDS; sends++) {
    if (rng.chance(0.35)) {
      const subject = rng.pick(nurtureSubjects);
      const openAt = Math.min(exit, Math.round(sendAt + rng.int(10, 600) * MINUTE));
      drafts.push({
        type: 'email_open',
        at: openAt,
        campaignId: null,
        properties: { subject, track: 'nurture' },
      });
      if (rng.chance(0.25)) {
        const clickAt = Math.min(exit, openAt + rng.int(1, 5) * MINUTE);
        drafts.push({
          type: 'email_click',
          at: clickAt,
          campaignId: null,
          properties: { subject, track: 'nurture' },
        });
      }
    }
    sendAt += (14 + rng.int(-3, 3)) * DAY;
  }
  return drafts;
}

function stageActivities(
  ctx: ActivityContext,
  step: JourneyStep,
  exit: number,
  next: JourneyStep | undefined,
) {
  const { rng } = ctx;
  const enter = step.at;
  const drafts: ActivityDraft[] = [];
  const add = (type: DemoActivityType, at: number, properties: Record<string, unknown>) =>
    drafts.push({ type, at, campaignId: null, properties });
  switch (step.to) {
    case 'new': {
      drafts.push({
        type: 'page_view',
        at: enter,
        campaignId: ctx.campaignId,
        properties: { url: ctx.landingPage },
      });
      const firstTouchAt = Math.min(exit, enter + rng.int(1, 8) * MINUTE);
      const { type, properties } = ctx.profile.firstTouch;
      drafts.push({ type, at: firstTouchAt, campaignId: ctx.campaignId, properties: { ...properties } });
      const count = next?.to === 'mql' ? rng.int(2, 6) : rng.int(0, 3);
      for (const at of spread(rng, firstTouchAt, exit, count)) drafts.push(engagement(ctx, at));
      if (next?.to === 'mql') {
        // The touch that crossed the MQL threshold, at the moment it was crossed. Under the lead
        // definition, a demo request: its 40 points alone meet the MQL rule (no rule here takes any away).
        if (next.rule === ctx.definitionRule) add('form_submit', exit, { form: 'demo_request' });
        else if (ctx.hot || rng.chance(0.5)) add('page_view', exit, { url: '/pricing' });
        else add('form_submit', exit, { form: 'contact_sales' });
      }
      break;
    }
    case 'mql':
      if (exit - enter > 2 * DAY) {
        for (const at of spread(rng, enter, exit, rng.int(0, 2))) {
          add('email_open', at, { subject: rng.pick(nurtureSubjects) });
        }
      }
      break;
    case 'sal':
      // The SDR's first touch, within hours of accepting.
      add('call', Math.min(exit, enter + rng.int(10, 240) * MINUTE), {
        by: ctx.sdrId,
        outcome: rng.pick(['connected', 'voicemail']),
      });
      if (next?.to === 'sql') add('meeting', exit, { by: ctx.sdrId, kind: 'discovery' });
      break;
    case 'sql':
      if (next?.to === 'opportunity') add('meeting', exit, { by: ctx.aeId, kind: 'demo' });
      break;
    case 'opportunity':
      for (const at of spread(rng, enter, exit, rng.int(2, 5))) {
        if (rng.chance(0.5)) {
          add('meeting', at, { by: ctx.aeId, kind: rng.pick(['workshop', 'proposal', 'negotiation']) });
        } else add('call', at, { by: ctx.aeId, outcome: 'connected' });
      }
      break;
    case 'nurture':
      drafts.push(...nurtureDrip(ctx, enter, exit));
      if (next?.to === 'recycled') add('content_download', exit, { asset: rng.pick(contentAssets) });
      break;
    case 'recycled':
      for (const at of spread(rng, enter, exit, rng.int(0, 2))) {
        add('page_view', at, { url: rng.pick(browsingPages) });
      }
      if (next?.to === 'mql') {
        add('form_submit', exit, {
          form: next.rule === ctx.definitionRule ? 'demo_request' : 'contact_sales',
        });
      }
      break;
    case 'disqualified':
      if (next?.to === 'recycled') add('page_view', exit, { url: '/pricing' });
      break;
    case 'won':
    case 'lost':
      break;
  }
  return drafts;
}

/** Every activity lies between the person's first touch and `now`, in time order. */
export function journeyActivities(ctx: ActivityContext, steps: readonly JourneyStep[]): ActivityDraft[] {
  const drafts = steps.flatMap((step, i) => {
    const next = steps[i + 1];
    return stageActivities(ctx, step, next?.at ?? ctx.now, next);
  });
  return drafts.sort((a, b) => a.at - b.at);
}
