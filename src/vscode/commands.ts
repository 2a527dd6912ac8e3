import * as vscode from 'vscode';
import type { CommandId, CommandSignatures } from './commandIds';

export type CommandArgs<K extends CommandId> = Parameters<CommandSignatures[K]>;
export type CommandResult<K extends CommandId> = Awaited<ReturnType<CommandSignatures[K]>>;

/** A command that may be run with no arguments (a button, a link, the palette). */
export type CommandWithoutArgs = {
  [K in CommandId]: [] extends CommandArgs<K> ? K : never;
}[CommandId];

/** Runs one of the extension's commands with the arguments its area declares (checked at compile time). */
export function executeCommand<K extends CommandId>(id: K, ...args: CommandArgs<K>): Thenable<CommandResult<K>> {
  return vscode.commands.executeCommand<CommandResult<K>>(id, ...args);
}

/** The command of a tree item or a link, with arguments checked as `executeCommand` checks them. */
export function commandLink<K extends CommandId>(id: K, title: string, ...args: CommandArgs<K>): vscode.Command {
  return args.length ? { command: id, title, arguments: args } : { command: id, title };
}
