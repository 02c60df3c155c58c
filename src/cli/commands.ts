/**
 * The command registry. A command is listed here only once it works end to end.
 */
import type { Command } from './command.js';
import { doctorCommand } from './doctor.js';

export const COMMANDS: readonly Command[] = [doctorCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
