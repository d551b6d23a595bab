/**
 * A command with a file option that says what it received: how core and the adapters hand a
 * file to a command is tested through it (the real commands take files only during a report).
 */
import { z } from 'zod';
import { defineCommand } from '../../commands/define.ts';
import type { AnyCommand } from '../../src/core/commands/command.types.ts';
import type { IncomingFile } from '../../src/core/incoming-file.ts';
import { ok } from '../../src/core/result.ts';
import { textReply } from '../../src/core/reply.ts';

export const fileEcho = defineCommand({
  name: 'file_echo',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    file: {
      kind: 'file',
      schema: z.custom<IncomingFile>((v) => typeof v === 'object' && v !== null && 'bytes' in v),
      description: 'cmd.help.description',
      required: true,
    },
  },
  handler: async (input: { file: IncomingFile }) =>
    ok(textReply(`received ${input.file.bytes.byteLength} bytes named ${input.file.name}`, { private: true })),
}) as unknown as AnyCommand;
