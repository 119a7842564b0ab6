// Whose queue a user may open besides their own: an admin any rep's, a manager their reports'
// (as salesQueue in src/modules/feedback/feedback.service.ts allows).
import type { Rep } from '../api/queue.ts';
import type { User } from '../api/types.ts';

export function queueChoices(user: Pick<User, 'id' | 'role'>, reps: readonly Rep[]): Rep[] {
  if (user.role === 'admin') return reps.filter((rep) => rep.userId !== user.id);
  return reps.filter((rep) => rep.managerId === user.id && rep.userId !== user.id);
}
