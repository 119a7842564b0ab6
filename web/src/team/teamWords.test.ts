import { describe, expect, test } from 'vitest';
import type { User } from '../api/types.ts';
import { approversOf, maySign, nameList, signStep, teamSentence, whoSigns } from './teamWords.ts';

function user(name: string, team: User['team'], change: Partial<User> = {}): User {
  const email = `${name.toLowerCase().replace(' ', '.')}@example.com`;
  return { id: name, name, email, team, role: team, approver: false, active: true, ...change };
}

const maya = user('Maya Lindqvist', 'marketing', { approver: true });
const tom = user('Tom Becker', 'marketing');
const rachel = user('Rachel Kim', 'sales', { approver: true });
const dana = user('Dana Admin', 'sales', { role: 'admin' });

describe('who signs the lead definition', () => {
  test('names each team’s approvers', () => {
    expect(whoSigns([dana, maya, rachel, tom])).toBe(
      'Signs for marketing: Maya Lindqvist · for sales: Rachel Kim',
    );
  });

  test('says so when a team has none, and lists several with "and"', () => {
    const tomToo = { ...tom, approver: true };
    expect(whoSigns([maya, tomToo, dana])).toBe(
      'Signs for marketing: Maya Lindqvist and Tom Becker · for sales: nobody yet',
    );
    expect(nameList([maya, tomToo, rachel])).toBe('Maya Lindqvist, Tom Becker, and Rachel Kim');
  });

  test('a turned-off approver, or one who cannot sign in, signs nothing', () => {
    const off = { ...rachel, active: false };
    const imported = user('Owner From Import', 'sales', { approver: true, email: null });
    expect(approversOf([off, imported, dana], 'sales')).toEqual([]);
  });

  test('the step to agreement names who signs, or who chooses them', () => {
    expect(signStep([maya, rachel], 'marketing')).toBe('Marketing signs that exact version: Maya Lindqvist.');
    expect(signStep([maya, dana], 'sales')).toBe(
      'Sales signs that exact version, once an admin has chosen a sales approver on the Team page.',
    );
    expect(signStep(undefined, 'sales')).toBe('Sales signs that exact version.');
  });

  test('only an approver who is not a viewer may sign', () => {
    expect(maySign(rachel)).toBe(true);
    expect(maySign(dana)).toBe(false);
    expect(maySign(user('Alex Morgan', 'sales', { role: 'viewer', approver: true }))).toBe(false);
  });
});

describe('the team in one sentence', () => {
  test('counts who signs in, by team, and the accounts turned off', () => {
    expect(teamSentence([dana, maya, rachel, tom])).toBe(
      '4 people sign in to Lockstep: 2 in marketing, 2 in sales.',
    );
    const leo = user('Leo Martins', 'sales', { active: false });
    const imported = user('Owner From Import', 'sales', { email: null });
    expect(teamSentence([maya, leo, imported])).toBe(
      '1 person signs in to Lockstep: 1 in marketing, 0 in sales; 1 account is turned off.',
    );
  });
});
