// The team in words: who is on it, and who signs the lead definition for each side.
import type { Role, Team, User } from '../api/types.ts';
import { countOf } from '../format.ts';

export const teams = ['marketing', 'sales'] as const satisfies readonly Team[];

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  marketing: 'Marketing',
  sales: 'Sales',
  viewer: 'Viewer',
};

export const teamLabels: Record<Team, string> = { marketing: 'Marketing', sales: 'Sales' };

/** The choices of a team or role picker. */
export const teamChoices = Object.entries(teamLabels).map(([value, label]) => ({ value, label }));
export const roleChoices = Object.entries(roleLabels).map(([value, label]) => ({ value, label }));

const names = new Intl.ListFormat('en-US', { type: 'conjunction' });

/** "Maya Lindqvist", "Maya Lindqvist and Tom Becker" */
export function nameList(people: readonly Pick<User, 'name'>[]): string {
  return names.format(people.map((person) => person.name));
}

/** Whether the person can sign in at all: an imported record owner has no email, a turned-off account is refused. */
export function canSignIn(user: User): boolean {
  return user.active && user.email !== null;
}

/** Who may sign a lead definition for a team: its approvers who can sign in and write (as the server's approversOf). */
export function approversOf(users: readonly User[], team: Team): User[] {
  return users.filter((user) => user.team === team && maySign(user) && canSignIn(user));
}

/** Whether the signed-in person's signature would be accepted for their team (viewers sign nothing). */
export function maySign(user: User): boolean {
  return user.approver && user.role !== 'viewer';
}

/** "Marketing signs that exact version: Maya Lindqvist.", or who chooses its approver when it has none. */
export function signStep(users: readonly User[] | undefined, team: Team): string {
  const step = `${teamLabels[team]} signs that exact version`;
  if (!users) return `${step}.`;
  const approvers = approversOf(users, team);
  return approvers.length > 0
    ? `${step}: ${nameList(approvers)}.`
    : `${step}, once an admin has chosen a ${team} approver on the Team page.`;
}

/** "Signs for marketing: Maya Lindqvist · for sales: Rachel Kim", with "nobody yet" for a team without one. */
export function whoSigns(users: readonly User[]): string {
  return teams
    .map((team, index) => {
      const approvers = approversOf(users, team);
      const who = approvers.length > 0 ? nameList(approvers) : 'nobody yet';
      return `${index === 0 ? 'Signs for' : 'for'} ${team}: ${who}`;
    })
    .join(' · ');
}

/** The page's answer: "10 people sign in to Lockstep: 3 in marketing, 7 in sales; 1 account is turned off." */
export function teamSentence(users: readonly User[]): string {
  const signingIn = users.filter(canSignIn);
  const onTeam = (team: Team) => signingIn.filter((user) => user.team === team).length;
  const off = users.filter((user) => !user.active).length;
  const people = signingIn.length === 1 ? '1 person signs' : `${signingIn.length} people sign`;
  const turnedOff = off === 0 ? '' : `; ${countOf(off, 'account')} ${off === 1 ? 'is' : 'are'} turned off`;
  return `${people} in to Lockstep: ${onTeam('marketing')} in marketing, ${onTeam('sales')} in sales${turnedOff}.`;
}
