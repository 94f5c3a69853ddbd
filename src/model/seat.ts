// How a user holds a licensed seat: what the platform reports, else the policy's access groups the user is a
// member of. The planner (remove-access, seats freed) and inventory.csv's licensed_access count it alike. Pure.
import type { SeatAccess, User } from '../model.ts';
import { canonical } from './identity.ts';

export function seatOf(user: Pick<User, 'access' | 'groups'>, accessGroups: readonly string[]): SeatAccess {
  if (user.access) return user.access;
  const groups: string[] = [];
  for (const g of accessGroups) {
    // The instance's spelling, as the user's membership list has it.
    const spelled = user.groups.find((ug) => canonical(ug) === canonical(g));
    if (spelled !== undefined && !groups.includes(spelled)) groups.push(spelled);
  }
  return { groups, direct: [] };
}
