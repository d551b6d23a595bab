/**
 * `npm run discord:register [-- --guild <id>]`: registers Lantern's slash commands with Discord.
 *
 * Each call is a bulk overwrite (PUT), so running it again is harmless and removes commands that
 * no longer exist. Without --guild: everyone's commands globally, the triage commands to
 * DISCORD_TRIAGE_GUILD_ID. With --guild: every command to that one server (commands there update
 * at once; handy while developing), triage commands only if it is the triage server.
 * Honours DISCORD_API_ROOT. Errors are one line; exit 2 for configuration, 1 for Discord's refusal.
 */
import { parseArgs } from 'node:util';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { allCommands } from '../../commands/index.ts';
import { UncompliantCommandsError, validateCommands } from '../../commands/define.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { toDiscordJSON, toGuildJSON } from '../adapters/discord/registration.ts';

const USAGE = 'Usage: npm run discord:register [-- --guild <server id>]';

function fail(message: string, code: number): never {
  process.stderr.write(`discord:register: ${message}\n`);
  process.exit(code);
}

/** Discord's refusal, phrased with what to do about it. */
function explain(e: unknown, where: string): string {
  if (e instanceof DiscordAPIError) {
    if (e.status === 401)
      return `Discord refused DISCORD_TOKEN (401): copy the bot token again from the Developer Portal → Bot → Reset Token`;
    if (e.status === 403 || e.code === 50001)
      return `Discord refused access to ${where} (${e.status} ${e.message}): invite the bot to that server with the applications.commands scope (see README → Discord)`;
    if (e.status === 404)
      return `Discord does not know ${where} (404): check DISCORD_APPLICATION_ID${where.includes('server') ? ' and the server id' : ''}`;
    return `Discord refused the commands for ${where} (${e.status} ${e.message.replace(/\s+/g, ' ')})`;
  }
  return `could not reach Discord for ${where}: ${(e as Error).message}`;
}

async function main() {
  let args;
  try {
    args = parseArgs({ options: { guild: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  } catch (e) {
    fail(`${(e as Error).message}. ${USAGE}`, 2);
  }
  if (args.values.help) return void process.stdout.write(USAGE + '\n');
  const guild = args.values.guild;
  if (guild !== undefined && !/^\d{1,20}$/.test(guild))
    fail(`--guild takes a numeric server id (got "${guild.slice(0, 40)}"). ${USAGE}`, 2);

  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 2);
    throw e;
  }
  const discord = config.discord;
  if (!discord?.applicationId)
    fail('set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application → Bot and General Information)', 2);
  try {
    validateCommands(allCommands);
  } catch (e) {
    if (e instanceof UncompliantCommandsError) fail(e.message, 2);
    throw e;
  }

  // No sweeper timers: this process does a few calls and exits.
  const rest = new REST({ ...(discord.apiRoot ? { api: discord.apiRoot } : {}), hashSweepInterval: 0, handlerSweepInterval: 0 }).setToken(
    discord.token,
  );
  const put = async (route: `/${string}`, body: unknown[], where: string) => {
    try {
      await rest.put(route, { body });
    } catch (e) {
      fail(explain(e, where), 1);
    }
    process.stdout.write(`registered ${body.length} command${body.length === 1 ? '' : 's'} ${where}\n`);
  };

  if (guild !== undefined) {
    await put(
      Routes.applicationGuildCommands(discord.applicationId, guild),
      toGuildJSON(allCommands, guild === discord.triageGuildId),
      `in server ${guild}`,
    );
    return;
  }
  const json = toDiscordJSON(allCommands);
  await put(Routes.applicationCommands(discord.applicationId), json.global, 'globally');
  if (discord.triageGuildId)
    await put(
      Routes.applicationGuildCommands(discord.applicationId, discord.triageGuildId),
      json.triage,
      `in the triage server ${discord.triageGuildId}`,
    );
  else process.stdout.write('triage commands not registered: DISCORD_TRIAGE_GUILD_ID is not set\n');
}

main().catch((e: unknown) => fail(`unexpected failure: ${(e as Error).message}`, 1));
