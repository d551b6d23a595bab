/**
 * The Discord adapter (discord.js 14): slash commands, autocomplete, buttons, selects and modals
 * in servers and DMs, plus plain DM messages (answers to a report step, evidence images). Like
 * every adapter it only translates: an interaction becomes one Lantern call with a CoreContext,
 * and the Reply is rendered by ./render.ts. Rate limits and reconnects are discord.js's job.
 *
 * Safety: every message is sent with `allowedMentions: { parse: [] }`; a private reply or a
 * private conversation in a server is always ephemeral; logs carry interaction/message ids only,
 * never user ids, names or content; messages are not cached (report text typed in DMs does not
 * linger in memory).
 */
import { DefaultRestOptions } from '@discordjs/rest';
import {
  ApplicationCommandOptionType,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionContextType,
  MessageFlags,
  Options,
  Partials,
  RESTJSONErrorCodes,
  SnowflakeUtil,
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type SendableChannels,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { AdapterEnv, RunningAdapter } from '../adapter.types.ts';
import type { CoreContext, TriageRole } from '../../core/context.ts';
import { coreError, errorMessage } from '../../core/errors.ts';
import { t } from '../../core/i18n/catalog.ts';
import { toLocale, type Locale } from '../../core/i18n/locales.ts';
import type { IncomingFile } from '../../core/lantern.ts';
import { textReply, type Reply } from '../../core/reply.ts';
import { pseudonym } from '../../core/crypto/crypto.ts';
import { DISCORD_CAPABILITIES } from './capabilities.ts';
import { CustomId, DC, DISCORD_LIMITS, MODAL_ID, MODAL_TEXT_ID, parsePromptId, promptModal, renderReply, SelectId, toMessage, toPayload, type DiscordMessage, type UploadLimits } from './render.ts';

/** The Discord part of the configuration (present when DISCORD_TOKEN is set). */
type DiscordConfig = NonNullable<AdapterEnv['config']['discord']>;

/** Tuning for tests and the benchmark. */
export interface DiscordAdapterOptions {
  /** answer "thinking…" when the core has not replied after this long (Discord allows 3 s) */
  deferAfterMs?: number;
  /** how long stop() waits for in-flight interactions before closing the connection */
  drainMs?: number;
  /** how long autocomplete and modal-opening buttons wait for a stored language (they cannot be deferred) */
  memoryOnlyMs?: number;
}

/** A created, not yet started adapter: the client is exposed for tests and the benchmark. */
export interface DiscordAdapter {
  client: Client;
  start(): Promise<RunningAdapter>;
}

/**
 * An id Discord could not have sent (longer than 100 characters, or an unknown "dc:" id): the
 * core answers an unparseable id with its clear, private INPUT.INVALID reply.
 */
const UNPARSEABLE_CHOICE = '';

/** Where an interaction or message happens. */
type Place = 'dm' | 'guild' | 'other';

/**
 * An error for the log: its name, the start of its message (a database error can quote a whole
 * query) and the stack frames without the message line.
 */
function describe(error: unknown): { name: string; message: string; frames?: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  const frames = e.stack?.split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 8).join('\n');
  return { name: e.name, message: e.message.slice(0, 200), ...(frames ? { frames } : {}) };
}

/** The given value, or `fallback` when it takes longer than `ms` (the promise is left to finish). */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([p.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Discord client languages seen, by pseudonym, for the DMs (a message carries no locale, an
 * interaction does). Bounded: the oldest is forgotten first; memory only, never stored.
 */
class RecentLocales {
  private readonly map = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  set(id: string, locale: string): void {
    this.map.delete(id);
    this.map.set(id, locale);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  get(id: string): string | undefined {
    return this.map.get(id);
  }
}

const placeOf = (i: Interaction): Place => (i.guildId ? 'guild' : i.context === InteractionContextType.BotDM || i.channel?.type === ChannelType.DM ? 'dm' : 'other');

/**
 * @discordjs/rest retries a request (up to its `retries`) when the connection was reset or the
 * request aborted, but undici reports a connection closed without an answer as a socket error
 * (UND_ERR_SOCKET, "other side closed") that it does not retry: the answer to an interaction was
 * then lost (see test/adapters/discord/network-faults.test.ts). We only relabel those errors as
 * resets, so the library's own retry applies; the request itself is made by the library's default.
 */
const DROPPED = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);
const retryingDroppedConnections: typeof DefaultRestOptions.makeRequest = async (url, init) => {
  try {
    return await DefaultRestOptions.makeRequest(url, init);
  } catch (e) {
    const codes = [e, (e as { cause?: unknown }).cause].map((x) => (x as { code?: unknown } | undefined)?.code);
    if (codes.some((c) => typeof c === 'string' && DROPPED.has(c))) throw Object.assign(new Error(`ECONNRESET: ${(e as Error).message}`), { code: 'ECONNRESET', cause: e });
    throw e;
  }
};

/**
 * Sends an interaction's first response (a reply, a defer, a modal, autocomplete choices). When
 * the connection dropped after Discord had the response, @discordjs/rest sends it again and
 * Discord refuses the copy with 40060 "already acknowledged": the response is there (only this bot
 * holds the interaction's token), but discord.js marks an interaction answered only after a call
 * succeeds, so it would refuse the rest of the answer (follow-ups, the edit after a defer). We
 * tell it, through its own public flag, and carry on; the result is then undefined.
 */
async function firstResponse<T>(send: () => Promise<T>, acknowledged: () => void): Promise<T | undefined> {
  try {
    return await send();
  } catch (e) {
    if (!(e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) throw e;
    acknowledged();
    return undefined;
  }
}

/**
 * A channel message Discord creates at most once. @discordjs/rest sends a call again when its
 * connection dropped; given the same nonce with enforce_nonce, Discord returns the message the
 * first attempt created instead of posting a second one (a DM answer or a triage notice twice).
 * Interaction answers need none: Discord refuses a second response itself (see firstResponse).
 */
const postOnce = (m: DiscordMessage) => ({ ...toMessage(m), nonce: SnowflakeUtil.generate().toString(), enforceNonce: true });

/** Creates the adapter (the client is built, nothing is connected yet). */
export function createDiscordAdapter(env: AdapterEnv, opts: DiscordAdapterOptions = {}): DiscordAdapter {
  const { app, lantern, log } = env;
  const config: DiscordConfig | undefined = env.config.discord;
  if (!config) throw new Error('the Discord adapter needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  if (config.triageChannelId && !config.triageGuildId) throw new Error('DISCORD_TRIAGE_CHANNEL_ID needs DISCORD_TRIAGE_GUILD_ID (the server the triage channel belongs to)');
  const deferAfterMs = opts.deferAfterMs ?? 2_000;
  const memoryOnlyMs = opts.memoryOnlyMs ?? 300;
  const locales = new RecentLocales();
  const maxBytes = app.config.reports.evidenceMaxBytes;

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    // DM channels are not cached before the first message: without this, DM messages are dropped.
    partials: [Partials.Channel],
    // as many shards as Discord recommends (one below 2,500 servers), all in this process
    shards: 'auto',
    rest: { ...(config.apiRoot ? { api: config.apiRoot } : {}), makeRequest: retryingDroppedConnections },
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (u) => u.id === u.client.user?.id },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (m) => m.id === m.client.user?.id },
    }),
  });
  client.on(Events.Error, (e) => log.error({ err: describe(e) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, closeCode: event.code }, 'discord gateway disconnected; discord.js reconnects'));

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  /** Triage membership: the configured guild, and one of the configured roles. */
  /** The member's triage role: only in the triage server, by their Discord roles (a lead role wins). */
  function triageRole(i: Interaction): TriageRole | undefined {
    if (!config!.triageGuildId || i.guildId !== config!.triageGuildId || !i.member) return undefined;
    const roles = Array.isArray(i.member.roles) ? i.member.roles : [...i.member.roles.cache.keys()];
    if (roles.some((r) => config!.triageRoleIds.includes(r))) return 'lead';
    return roles.some((r) => config!.triageReviewerRoleIds.includes(r)) ? 'reviewer' : undefined;
  }

  /** The person's language from memory within `memoryOnlyMs`, else their Discord client's. */
  async function quickLocale(i: Interaction): Promise<Locale> {
    locales.set(pseudonym(app.keyring, 'discord', i.user.id), i.locale);
    const fallback = toLocale(i.locale, app.config.defaultLocale);
    return within(app.actor('discord', i.user.id, { localeHint: i.locale }).then((a) => a.locale), memoryOnlyMs, fallback);
  }

  async function contextFor(i: Interaction, chat: CoreContext['chat']): Promise<CoreContext> {
    locales.set(pseudonym(app.keyring, 'discord', i.user.id), i.locale);
    const role = triageRole(i);
    const actor = await app.actor('discord', i.user.id, { localeHint: i.locale, triage: role !== undefined, ...(role ? { role } : {}) });
    return { actor, chat, deps: app.deps, capabilities: DISCORD_CAPABILITIES, ...(placeOf(i) === 'dm' && i.channelId ? { route: i.channelId } : {}) };
  }

  /** Downloads an attachment, refusing (without downloading) anything over the evidence limit. */
  async function download(a: Pick<Attachment, 'url' | 'size' | 'contentType' | 'name'>): Promise<IncomingFile | 'too-large'> {
    if (a.size > maxBytes) return 'too-large';
    const res = await fetch(a.url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok || !res.body) throw new Error(`attachment download failed with HTTP ${res.status}`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body) {
      total += chunk.byteLength;
      if (total > maxBytes) return 'too-large'; // leaving the loop cancels the download
      chunks.push(chunk);
    }
    return { bytes: new Uint8Array(Buffer.concat(chunks)), declaredMime: a.contentType ?? undefined, name: a.name };
  }

  const tooLarge = (locale: Locale): Reply => ({
    private: true,
    kind: 'error',
    code: 'REPORT.FILE_TOO_LARGE',
    blocks: [{ type: 'text', text: errorMessage(coreError('REPORT.FILE_TOO_LARGE', { mb: Math.floor(maxBytes / 1_000_000) }), locale) }],
    citations: [],
  });

  /** Files only ever go to a private place; a public reply with files is a core bug, not sent. */
  function render(reply: Reply, locale: Locale, privatePlace: boolean, uploads?: UploadLimits): DiscordMessage[] {
    if (reply.files?.length && !privatePlace) {
      log.warn({ files: reply.files.length }, 'files in a public Discord reply were not sent');
      reply = { ...reply, files: [] };
    }
    return renderReply(reply, locale, uploads);
  }

  /** Upload limits of an interaction: its own per-file limit (boosts raise it), 25 MiB a request. */
  const uploadsOf = (i: Interaction): UploadLimits => ({ fileBytes: i.attachmentSizeLimit || DISCORD_LIMITS.fileBytes, requestBytes: DISCORD_LIMITS.requestBytes });

  /**
   * Answers an interaction with the Reply the core produces. The clock starts before anything
   * reads the database (the actor included): if the answer is not ready after `deferAfterMs`,
   * the interaction is deferred, ephemeral when the chat or the command says the answer is
   * private (Discord drops an interaction not acknowledged within 3 s).
   */
  async function answer(i: RepliableInteraction, chat: CoreContext['chat'], privateAnswer: boolean, work: (ctx: CoreContext) => Promise<Reply>): Promise<void> {
    const dm = placeOf(i) === 'dm';
    const done = (async () => {
      const ctx = await contextFor(i, chat);
      return { ctx, reply: await work(ctx) };
    })();
    // If deferring fails first, the core's own failure must not become an unhandled rejection.
    done.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), deferAfterMs)));
    const first = await Promise.race([done, slow]);
    clearTimeout(timer);
    let deferredEphemeral: boolean | undefined;
    if (first === 'slow') {
      deferredEphemeral = !dm && (chat === 'private' || privateAnswer);
      await firstResponse(() => i.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {}), () => (i.deferred = true));
    }
    const { ctx } = await done;
    let { reply } = await done;
    // Files cannot be attached to an ephemeral conversation: say where they can go.
    if (reply.acceptsFile && !dm) reply = { ...reply, blocks: [...reply.blocks, { type: 'notice', text: t(ctx.actor.locale, 'discord.evidence_in_dm') }] };
    const ephemeral = !dm && (reply.private || chat === 'private');
    const list = render(reply, ctx.actor.locale, ephemeral || dm, uploadsOf(i)).map((m) => toPayload(m, ephemeral));
    if (deferredEphemeral === undefined && list.some((m) => m.files.length)) {
      // An upload of megabytes can take longer than the 3 s left: acknowledge first, then upload.
      deferredEphemeral = ephemeral;
      await firstResponse(() => i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}), () => (i.deferred = true));
    }
    if (reply.deleteChoiceMessage && i.isMessageComponent() && deferredEphemeral === undefined) {
      // The pressed message (the receipt) becomes the answer: its text leaves the chat, DM or ephemeral.
      const { flags: _flags, ...edit } = list[0]!;
      return void (await firstResponse(() => i.update({ ...edit, components: [] }), () => (i.replied = true)));
    }
    const keep = Boolean(reply.track) && dm; // only DM messages can be deleted later ("forget me")
    const ids: string[] = [];
    const late = lateSender(i, ephemeral || dm);
    if (deferredEphemeral === false && ephemeral) {
      // Deferred in public, the answer is private: the public "thinking…" becomes a neutral line
      // (an edit, never a delete), then the answer follows as new ephemeral messages (documented
      // for follow-ups once the original response exists).
      const notice = renderReply(textReply(t(ctx.actor.locale, 'discord.answered_privately')), ctx.actor.locale)[0]!;
      await late(() => i.editReply(toMessage(notice)), toMessage(notice));
      for (const p of list) ids.push(await late(() => i.followUp(p), p));
      return;
    }
    for (const [n, p] of list.entries()) {
      if (n > 0) {
        ids.push(await late(() => i.followUp(p), p));
      } else if (deferredEphemeral !== undefined) {
        // the deferred response keeps the flag it was deferred with; an edit cannot change it
        const { flags: _flags, ...edit } = p;
        ids.push(await late(() => i.editReply(edit), p));
      } else if (keep) {
        const r = await firstResponse(() => i.reply({ ...p, withResponse: true }), () => (i.replied = true));
        const id = r ? r.resource?.message?.id : (await i.fetchReply()).id;
        if (id) ids.push(id);
      } else {
        await firstResponse(() => i.reply(p), () => (i.replied = true));
      }
    }
    if (keep && ids.length) await lantern.recordSent(ctx, ids);
    if (reply.deleteMessages?.length && dm && i.channel) await deleteIn(i.channel, reply.deleteMessages);
  }

  /**
   * Sends through the interaction's token, or, once Discord says the token is gone ("Interaction
   * tokens are valid for 15 minutes": 10015 Unknown Webhook, after a very long rate limit or a
   * stalled database), as an ordinary message: a private answer by DM to the person, never into
   * the channel; a public one into the channel. Returns the message id.
   */
  function lateSender(i: RepliableInteraction, privately: boolean) {
    return async (viaToken: () => Promise<{ id: string }>, p: ReturnType<typeof toPayload> | ReturnType<typeof toMessage>): Promise<string> => {
      try {
        return (await viaToken()).id;
      } catch (e) {
        if (!(e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.UnknownWebhook)) throw e;
        const { flags: _flags, ...plain } = p as ReturnType<typeof toPayload>;
        const target = privately ? await i.user.createDM() : i.channel;
        if (!target?.isSendable()) throw e;
        log.info({ interaction: i.id }, 'interaction token expired; the answer goes as a message');
        return (await target.send({ ...plain, nonce: SnowflakeUtil.generate().toString(), enforceNonce: true })).id;
      }
    };
  }

  async function deleteIn(channel: NonNullable<Interaction['channel']> | Message['channel'], ids: string[]) {
    if (channel.type !== ChannelType.DM) return;
    for (const id of ids) await channel.messages.delete(id).catch((e: Error) => log.debug({ err: { message: e.message } }, 'a DM message could not be deleted'));
  }

  async function onCommand(i: ChatInputCommandInteraction) {
    const cmd = lantern.find(i.commandName);
    const dm = placeOf(i) === 'dm';
    // A private-only command in a server runs in private: every reply to it is ephemeral.
    const chat = dm || cmd?.where === 'private-only' ? 'private' : 'public';
    // Triage answers are always private: known before the answer, so a defer is ephemeral too.
    const privateAnswer = cmd?.audience === 'triage';
    await answer(i, chat, privateAnswer, async (ctx) => {
      const raw: Record<string, unknown> = {};
      for (const o of i.options.data) {
        if (o.type === ApplicationCommandOptionType.String) raw[o.name] = o.value;
        else if (o.type === ApplicationCommandOptionType.Attachment && o.attachment) {
          const file = await download(o.attachment);
          if (file === 'too-large') return tooLarge(ctx.actor.locale);
          raw[o.name] = file;
        }
      }
      return lantern.command(i.commandName, raw, ctx);
    });
  }

  async function onAutocomplete(i: AutocompleteInteraction) {
    const focused = i.options.getFocused(true);
    const source = lantern.find(i.commandName)?.options[focused.name]?.autocomplete;
    const respond = (choices: { name: string; value: string }[]) => firstResponse(() => i.respond(choices), () => (i.responded = true));
    if (!source) return respond([]);
    // Autocomplete cannot be deferred: the suggestions come from memory (the dataset), the
    // language from memory within a time box, whatever the database does.
    const locale = await quickLocale(i);
    const suggestions = lantern.autocomplete(source, String(focused.value), locale, app.deps.dataset());
    await respond(suggestions.slice(0, 25).map((s) => ({ name: s.label.slice(0, 100), value: s.value.slice(0, 100) })));
  }

  /** A component's message is private when it is ephemeral or in the DM. */
  const componentChat = (i: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction): CoreContext['chat'] =>
    placeOf(i) === 'dm' || i.message?.flags.has(MessageFlags.Ephemeral) ? 'private' : 'public';

  async function onButton(i: ButtonInteraction) {
    const prompt = parsePromptId(i.customId);
    if (prompt) {
      // A modal cannot follow a defer: it opens within the deadline, in the language at hand.
      const locale = await quickLocale(i);
      return void (await firstResponse(() => i.showModal(promptModal(prompt, locale)), () => (i.replied = true)));
    }
    const valid = CustomId.safeParse(i.customId).success && !i.customId.startsWith(DC);
    await answer(i, componentChat(i), false, (ctx) => lantern.choice(valid ? i.customId : UNPARSEABLE_CHOICE, ctx));
  }

  async function onSelect(i: StringSelectMenuInteraction) {
    const value = i.values[0] ?? '';
    const valid = SelectId.safeParse(i.customId).success && CustomId.safeParse(value).success && !value.startsWith(DC);
    await answer(i, componentChat(i), false, (ctx) => lantern.choice(valid ? value : UNPARSEABLE_CHOICE, ctx));
  }

  async function onModal(i: ModalSubmitInteraction) {
    const field = i.customId === MODAL_ID ? i.fields.fields.get(MODAL_TEXT_ID) : undefined;
    const text = field && 'value' in field && typeof field.value === 'string' ? field.value : '';
    await answer(i, componentChat(i), false, (ctx) => lantern.text(text, ctx));
  }

  /** The one error boundary for interactions. */
  async function onInteraction(i: Interaction) {
    try {
      if (i.isAutocomplete()) await onAutocomplete(i);
      else if (i.isChatInputCommand()) await onCommand(i);
      else if (i.isButton()) await onButton(i);
      else if (i.isStringSelectMenu()) await onSelect(i);
      else if (i.isModalSubmit()) await onModal(i);
    } catch (error) {
      log.error({ interaction: i.id, interactionType: i.type, err: describe(error) }, 'discord interaction failed');
      if (i.isAutocomplete()) {
        if (!i.responded) await i.respond([]).catch(() => {});
        return;
      }
      if (!i.isRepliable()) return;
      // The database may be what failed: the apology uses the Discord client's language.
      const locale = toLocale(i.locale, app.config.defaultLocale);
      const apology = renderReply(textReply(t(locale, app.apologyFor(error)), { private: true }), locale).map((m) => toPayload(m, placeOf(i) !== 'dm'))[0]!;
      // After a defer the apology replaces "thinking…" (an edit); a follow-up only once something was sent.
      const { flags: _flags, ...edit } = apology;
      await (i.replied ? i.followUp(apology) : i.deferred ? i.editReply(edit) : i.reply(apology)).catch((e2: Error) => log.warn({ interaction: i.id, err: { message: e2.message } }, 'discord apology not delivered'));
    }
  }

  /** Plain messages in the bot's DMs: the answer to a report step, an evidence file, or "/command args". */
  async function onDirectMessage(m: Message) {
    if (m.author.bot || m.guildId || m.channel.type !== ChannelType.DM) return;
    const channel = m.channel;
    // A message carries no locale: the language of the person's last interaction, if any.
    const hint = locales.get(pseudonym(app.keyring, 'discord', m.author.id));
    try {
      const actor = await app.actor('discord', m.author.id, { localeHint: hint });
      const ctx: CoreContext = { actor, chat: 'private', deps: app.deps, capabilities: DISCORD_CAPABILITIES, route: m.channelId };
      const replies: Reply[] = [];
      const text = m.content.trim();
      const command = /^\/([a-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(text);
      if (command) replies.push(await lantern.commandLine(command[1]!, command[2] ?? '', ctx));
      else if (text) replies.push(await lantern.text(text, ctx));
      for (const a of m.attachments.values()) {
        const file = await download(a);
        replies.push(file === 'too-large' ? tooLarge(actor.locale) : await lantern.file(file, ctx));
      }
      for (const reply of replies) {
        const ids: string[] = [];
        for (const msg of render(reply, actor.locale, true)) ids.push((await channel.send(postOnce(msg))).id);
        if (reply.track && ids.length) await lantern.recordSent(ctx, ids);
        if (reply.deleteMessages?.length) await deleteIn(channel, reply.deleteMessages);
      }
    } catch (error) {
      log.error({ messageId: m.id, err: describe(error) }, 'discord direct message failed');
      const locale = toLocale(hint, app.config.defaultLocale);
      const apology = renderReply(textReply(t(locale, app.apologyFor(error))), locale)[0]!;
      await channel.send(postOnce(apology)).catch((e2: Error) => log.warn({ messageId: m.id, err: { message: e2.message } }, 'discord apology not delivered'));
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    if (!stopping) track(onInteraction(i));
  });
  client.on(Events.MessageCreate, (m) => {
    if (!stopping) track(onDirectMessage(m));
  });

  /** The triage channel, checked to be a text channel of the triage guild (never anywhere else). */
  async function triageChannel(): Promise<SendableChannels> {
    const channel = await client.channels.fetch(config!.triageChannelId!).catch((e: Error) => {
      throw new Error(`the bot cannot read DISCORD_TRIAGE_CHANNEL_ID ${config!.triageChannelId} (${e.message}): invite it to the triage server and let it view and send messages in that channel`);
    });
    if (!channel || channel.isDMBased() || channel.guildId !== config!.triageGuildId || !channel.isSendable())
      throw new Error(`DISCORD_TRIAGE_CHANNEL_ID ${config!.triageChannelId} is not a text channel of the triage server DISCORD_TRIAGE_GUILD_ID ${config!.triageGuildId}`);
    return channel;
  }

  async function start(): Promise<RunningAdapter> {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(config!.token).catch(async (e: Error & { code?: unknown; status?: number }) => {
      await client.destroy();
      if (e.code === 'TokenInvalid' || e.status === 401) throw new Error('Discord refused DISCORD_TOKEN (401 Unauthorized): copy the token again from the Developer Portal → your application → Bot → Reset Token');
      if (e.code === 'DisallowedIntents') throw new Error('Discord refused the gateway intents: Lantern needs no privileged intent; check the application in the Developer Portal → Bot');
      throw new Error(`could not connect to Discord${config!.apiRoot ? ` at DISCORD_API_ROOT ${config!.apiRoot}` : ''}: ${e.message}`);
    });
    await ready;
    if (config!.triageGuildId && !config!.triageRoleIds.length) log.warn({}, 'DISCORD_TRIAGE_GUILD_ID is set but DISCORD_TRIAGE_ROLE_IDS is empty: nobody on Discord is on the triage team');
    if (config!.triageChannelId) {
      await triageChannel().catch(async (e: Error) => {
        await client.destroy();
        throw e;
      });
      app.registerNotifier({
        platform: 'discord',
        // The core renders the notice (id, category, severity, time — never content); we only post it.
        deliver: async (_notice, rendered) => {
          const channel = await triageChannel();
          for (const m of render(rendered, app.config.defaultLocale, false)) await channel.send(postOnce(m));
        },
      });
    }
    app.registerRelay('discord', async (route, text) => {
      const channel = await client.channels.fetch(route);
      // Routes are DM channel ids; anything else would put a triage message where others read it.
      if (!channel || channel.type !== ChannelType.DM) throw new Error('the relay route is not a Discord DM channel');
      const locale = app.config.defaultLocale;
      try {
        for (const m of renderReply(textReply(text, { private: true }), locale)) await channel.send(postOnce(m));
      } catch (e) {
        // 50007: the reporter blocked the bot or closed their DMs; the triager is told so, not given the apology
        if (e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser) return 'REPORTER_UNREACHABLE';
        throw e;
      }
      return undefined;
    });
    env.http.readiness('discord', () => client.isReady());
    log.info({ guilds: client.guilds.cache.size, triage: Boolean(config!.triageGuildId), notices: Boolean(config!.triageChannelId) }, 'discord adapter ready');
    return {
      name: 'discord',
      async stop() {
        stopping = true;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, opts.drainMs ?? 10_000)))]);
        clearTimeout(timer);
        await client.destroy();
      },
    };
  }

  return { client, start };
}

/** Starts the Discord adapter (src/main.ts calls this when DISCORD_TOKEN is set). */
export async function startDiscord(env: AdapterEnv): Promise<RunningAdapter> {
  return createDiscordAdapter(env).start();
}
