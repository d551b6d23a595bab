/**
 * Discord's slash-command registration: the generated JSON pinned, every command checked against
 * Discord's rules, and `npm run discord:register` PUTting that JSON to the fake (global and guild).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allCommands } from '../../../commands/index.ts';
import { defineCommand, PLATFORM_RULES, validateCommands } from '../../../commands/define.ts';
import type { AnyCommand } from '../../../src/core/commands/command.types.ts';
import { toDiscordJSON, toGuildJSON } from '../../../src/adapters/discord/registration.ts';
import { FAKE, startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';

const loc = (en: string, hans: string, hant: string) => ({ 'en-US': en, 'en-GB': en, 'zh-CN': hans, 'zh-TW': hant });
const same = (name: string) => ({ 'en-US': name, 'en-GB': name, 'zh-CN': name, 'zh-TW': name });

const PINNED = {
  global: [
    {
      options: [
        {
          autocomplete: true,
          type: 3,
          name: 'place',
          name_localizations: same('place'),
          description: 'City, country or name (English or Chinese)',
          description_localizations: loc(
            'City, country or name (English or Chinese)',
            '城市、国家或名称（中文或英文）',
            '城市、國家或名稱（中文或英文）',
          ),
          required: true,
          max_length: 100,
        },
      ],
      name: 'lookup',
      name_localizations: same('lookup'),
      description: 'Find reported stations by city, country or name, with sources',
      description_localizations: loc(
        'Find reported stations by city, country or name, with sources',
        '按城市、国家或名称查询被报道的站点及来源',
        '按城市、國家或名稱查詢被報導的站點及來源',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          autocomplete: true,
          type: 3,
          name: 'station',
          name_localizations: same('station'),
          description: 'A place (leave empty for every source)',
          description_localizations: loc(
            'A place (leave empty for every source)',
            '地点（留空则列出全部来源）',
            '地點（留空則列出全部來源）',
          ),
          required: false,
          max_length: 100,
        },
      ],
      name: 'sources',
      name_localizations: same('sources'),
      description: 'Show the sources and quotes behind the dataset or one place',
      description_localizations: loc(
        'Show the sources and quotes behind the dataset or one place',
        '查看数据集或某一地点背后的来源与引文',
        '查看資料集或某一地點背後的來源與引文',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          type: 3,
          name: 'topic',
          name_localizations: same('topic'),
          description: 'A tactic or topic (leave empty for all tactics)',
          description_localizations: loc(
            'A tactic or topic (leave empty for all tactics)',
            '某一手段或主题（留空则显示全部手段）',
            '某一手段或主題（留空則顯示全部手段）',
          ),
          required: false,
          max_length: 100,
        },
      ],
      name: 'tactics',
      name_localizations: same('tactics'),
      description: 'Tactics reported against people abroad (threats, frozen accounts…), with sources',
      description_localizations: loc(
        'Tactics reported against people abroad (threats, frozen accounts…), with sources',
        '据报道针对海外人士的手段（威胁、冻结账户等）及来源',
        '據報導針對海外人士的手段（威脅、凍結帳戶等）及來源',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          autocomplete: true,
          type: 3,
          name: 'place',
          name_localizations: same('place'),
          description: 'Country or city (leave empty for the world)',
          description_localizations: loc(
            'Country or city (leave empty for the world)',
            '国家或城市（留空则显示全球）',
            '國家或城市（留空則顯示全球）',
          ),
          required: false,
          max_length: 100,
        },
      ],
      name: 'map',
      name_localizations: same('map'),
      description: 'See the reported stations on a map, with sources',
      description_localizations: loc(
        'See the reported stations on a map, with sources',
        '在地图上查看被报道的站点及来源',
        '在地圖上查看被報導的站點及來源',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'report',
      name_localizations: same('report'),
      description: 'Report an encounter privately (threats, pressure, surveillance)',
      description_localizations: loc(
        'Report an encounter privately (threats, pressure, surveillance)',
        '私下报告遭遇（威胁、施压、监视）',
        '私下報告遭遇（威脅、施壓、監視）',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          type: 3,
          name: 'receipt',
          name_localizations: same('receipt'),
          description: 'The receipt code you were given',
          description_localizations: loc('The receipt code you were given', '您收到的回执码', '您收到的回執碼'),
          required: true,
          max_length: 40,
        },
      ],
      name: 'myreports',
      name_localizations: same('myreports'),
      description: 'Check the status of your report with its receipt code',
      description_localizations: loc(
        'Check the status of your report with its receipt code',
        '凭回执码查看您的报告状态',
        '憑回執碼查看您的報告狀態',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          type: 3,
          name: 'receipt',
          name_localizations: same('receipt'),
          description: 'The receipt code of the report to erase',
          description_localizations: loc('The receipt code of the report to erase', '要删除的报告的回执码', '要刪除的報告的回執碼'),
          required: true,
          max_length: 40,
        },
      ],
      name: 'forget',
      name_localizations: same('forget'),
      description: 'Erase your report with its receipt code',
      description_localizations: loc('Erase your report with its receipt code', '凭回执码删除您的报告', '憑回執碼刪除您的報告'),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'help',
      name_localizations: same('help'),
      description: 'What Lantern is and how it handles your data',
      description_localizations: loc(
        'What Lantern is and how it handles your data',
        'Lantern 是什么以及如何处理您的数据',
        'Lantern 是什麼以及如何處理您的資料',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'resources',
      name_localizations: same('resources'),
      description: 'Whom to contact and digital-safety basics',
      description_localizations: loc(
        'Whom to contact and digital-safety basics',
        '可以联系谁以及数字安全基础',
        '可以聯絡誰以及數位安全基礎',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [
        {
          type: 3,
          choices: [
            { name: 'English', name_localizations: same('English'), value: 'en' },
            { name: '简体中文', name_localizations: same('简体中文'), value: 'zh-Hans' },
            { name: '繁體中文', name_localizations: same('繁體中文'), value: 'zh-Hant' },
          ],
          name: 'language',
          name_localizations: same('language'),
          description: 'en, zh-Hans or zh-Hant',
          description_localizations: loc('en, zh-Hans or zh-Hant', 'en、zh-Hans 或 zh-Hant', 'en、zh-Hans 或 zh-Hant'),
          required: false,
        },
      ],
      name: 'language',
      name_localizations: same('language'),
      description: 'Choose your language',
      description_localizations: loc('Choose your language', '选择语言', '選擇語言'),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'cancel',
      name_localizations: same('cancel'),
      description: 'Cancel the report in progress (nothing is sent)',
      description_localizations: loc(
        'Cancel the report in progress (nothing is sent)',
        '取消正在填写的报告（不会发送任何内容）',
        '取消正在填寫的報告（不會傳送任何內容）',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'back',
      name_localizations: same('back'),
      description: 'Go back one step in the report in progress',
      description_localizations: loc(
        'Go back one step in the report in progress',
        '在正在填写的报告中返回上一步',
        '在正在填寫的報告中返回上一步',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
    {
      options: [],
      name: 'draft',
      name_localizations: same('draft'),
      description: 'Show, privately, what your report in progress holds',
      description_localizations: loc(
        'Show, privately, what your report in progress holds',
        '私下查看您正在填写的报告的内容',
        '私下查看您正在填寫的報告的內容',
      ),
      contexts: [0, 1],
      integration_types: [0],
      type: 1,
    },
  ],
  triage: [
    {
      options: [
        {
          type: 3,
          choices: [
            {
              name: 'help: what you can do here',
              name_localizations: loc('help: what you can do here', 'help：您在这里可以做什么', 'help：您在這裡可以做什麼'),
              value: 'help',
            },
            {
              name: 'queue: list reports',
              name_localizations: loc('queue: list reports', 'queue：列出报告', 'queue：列出報告'),
              value: 'queue',
            },
            {
              name: 'view: open a report',
              name_localizations: loc('view: open a report', 'view：打开报告', 'view：開啟報告'),
              value: 'view',
            },
            {
              name: 'evidence: get a report’s images',
              name_localizations: loc('evidence: get a report’s images', 'evidence：获取报告图片', 'evidence：取得報告圖片'),
              value: 'evidence',
            },
            {
              name: 'claim: take a report',
              name_localizations: loc('claim: take a report', 'claim：认领报告', 'claim：認領報告'),
              value: 'claim',
            },
            {
              name: 'assign: give a report to a member',
              name_localizations: loc('assign: give a report to a member', 'assign：分配给成员', 'assign：分配給成員'),
              value: 'assign',
            },
            {
              name: 'status: change the status',
              name_localizations: loc('status: change the status', 'status：更改状态', 'status：變更狀態'),
              value: 'status',
            },
            {
              name: 'severity: set the severity',
              name_localizations: loc('severity: set the severity', 'severity：设定严重程度', 'severity：設定嚴重程度'),
              value: 'severity',
            },
            { name: 'note: add a note', name_localizations: loc('note: add a note', 'note：添加备注', 'note：新增備註'), value: 'note' },
            {
              name: 'link: link to a station',
              name_localizations: loc('link: link to a station', 'link：关联站点', 'link：關聯站點'),
              value: 'link',
            },
            {
              name: 'duplicate: mark as duplicate',
              name_localizations: loc('duplicate: mark as duplicate', 'duplicate：标记为重复', 'duplicate：標記為重複'),
              value: 'duplicate',
            },
            {
              name: 'suggest: propose a dataset change',
              name_localizations: loc('suggest: propose a dataset change', 'suggest：建议修改数据集', 'suggest：建議修改資料集'),
              value: 'suggest',
            },
            {
              name: 'ask: write to the reporter’s mailbox',
              name_localizations: loc('ask: write to the reporter’s mailbox', 'ask：写入报告人的信箱', 'ask：寫入報告人的信箱'),
              value: 'ask',
            },
            {
              name: 'contact: message the reporter',
              name_localizations: loc('contact: message the reporter', 'contact：给报告人留言', 'contact：給報告人留言'),
              value: 'contact',
            },
            {
              name: 'clusters: related reports',
              name_localizations: loc('clusters: related reports', 'clusters：相关报告', 'clusters：相關報告'),
              value: 'clusters',
            },
            {
              name: 'stats: a picture of the reports per week and status',
              name_localizations: loc(
                'stats: a picture of the reports per week and status',
                'stats：按周和状态的报告统计图',
                'stats：按週和狀態的報告統計圖',
              ),
              value: 'stats',
            },
            {
              name: 'export: for NGOs or law enforcement',
              name_localizations: loc(
                'export: for NGOs or law enforcement',
                'export：给非政府组织或执法机关',
                'export：給非政府組織或執法機關',
              ),
              value: 'export',
            },
            {
              name: 'anonymise: text for exports',
              name_localizations: loc('anonymise: text for exports', 'anonymise：导出用的匿名文字', 'anonymise：匯出用的匿名文字'),
              value: 'anonymise',
            },
            {
              name: 'snippet: canned replies in three languages',
              name_localizations: loc(
                'snippet: canned replies in three languages',
                'snippet：三种语言的预设回复',
                'snippet：三種語言的預設回覆',
              ),
              value: 'snippet',
            },
            {
              name: 'block: stop the person behind a report from submitting',
              name_localizations: loc(
                'block: stop the person behind a report from submitting',
                'block：禁止某报告背后的人提交',
                'block：禁止某報告背後的人提交',
              ),
              value: 'block',
            },
            {
              name: 'unblock: lift a block',
              name_localizations: loc('unblock: lift a block', 'unblock：解除封禁', 'unblock：解除封鎖'),
              value: 'unblock',
            },
            {
              name: 'blocks: the blocks running',
              name_localizations: loc('blocks: the blocks running', 'blocks：生效中的封禁', 'blocks：生效中的封鎖'),
              value: 'blocks',
            },
            {
              name: 'role: add, change or remove a member (Telegram)',
              name_localizations: loc(
                'role: add, change or remove a member (Telegram)',
                'role：添加、更改或移除成员（Telegram）',
                'role：新增、更改或移除成員（Telegram）',
              ),
              value: 'role',
            },
            {
              name: 'audit: the audit log',
              name_localizations: loc('audit: the audit log', 'audit：审计日志', 'audit：稽核紀錄'),
              value: 'audit',
            },
          ],
          name: 'action',
          name_localizations: same('action'),
          description: 'What to do',
          description_localizations: loc('What to do', '要执行的操作', '要執行的操作'),
          required: false,
        },
        {
          type: 3,
          name: 'args',
          name_localizations: same('args'),
          description: 'Report id and values, e.g. R-7K2M9Q in_review',
          description_localizations: loc(
            'Report id and values, e.g. R-7K2M9Q in_review',
            '报告编号及参数，例如 R-7K2M9Q in_review',
            '報告編號及參數，例如 R-7K2M9Q in_review',
          ),
          required: false,
          max_length: 2500,
        },
      ],
      name: 'triage',
      name_localizations: same('triage'),
      description: 'Triage team: review, update and export reports',
      description_localizations: loc(
        'Triage team: review, update and export reports',
        '审核团队：审阅、更新和导出报告',
        '審核團隊：審閱、更新和匯出報告',
      ),
      default_member_permissions: '0',
      type: 1,
    },
  ],
};

/** Discord's limits for application commands (https://discord.com/developers/docs/interactions/application-commands). */
const DISCORD = {
  maxGlobal: 100,
  maxOptions: 25,
  maxChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  description: 100,
  maxLength: 6000,
  totalChars: 4000,
};

type Json = Record<string, any>;

function problems(cmd: Json, scope: 'global' | 'guild'): string[] {
  const out: string[] = [];
  const text = (what: string, s: unknown, max: number) => {
    if (typeof s !== 'string' || s.length < 1 || s.length > max) out.push(`${cmd.name}: ${what} must be 1-${max} characters`);
  };
  if (!PLATFORM_RULES.name.test(cmd.name)) out.push(`${cmd.name}: bad name`);
  text('description', cmd.description, PLATFORM_RULES.descriptionMax);
  for (const v of Object.values(cmd.description_localizations ?? {})) text('localized description', v, DISCORD.description);
  for (const v of Object.values(cmd.name_localizations ?? {}))
    if (!PLATFORM_RULES.name.test(v as string)) out.push(`${cmd.name}: bad localized name`);
  const options: Json[] = cmd.options ?? [];
  if (options.length > DISCORD.maxOptions) out.push(`${cmd.name}: too many options`);
  let seenOptional = false;
  // Discord counts name, description and choice values of the command in its longest locale.
  const locales = ['en-US', 'en-GB', 'zh-CN', 'zh-TW'];
  const chars = (l: string) =>
    (cmd.name_localizations?.[l] ?? cmd.name).length +
    (cmd.description_localizations?.[l] ?? cmd.description).length +
    options.reduce(
      (n: number, o: Json) =>
        n +
        (o.name_localizations?.[l] ?? o.name).length +
        (o.description_localizations?.[l] ?? o.description).length +
        (o.choices ?? []).reduce((m: number, c: Json) => m + (c.name_localizations?.[l] ?? c.name).length + String(c.value).length, 0),
      0,
    );
  if (Math.max(...locales.map(chars)) > DISCORD.totalChars) out.push(`${cmd.name}: more than ${DISCORD.totalChars} characters`);
  for (const o of options) {
    if (!PLATFORM_RULES.name.test(o.name)) out.push(`${cmd.name}: bad option name ${o.name}`);
    text(`option ${o.name} description`, o.description, DISCORD.description);
    for (const v of Object.values(o.description_localizations ?? {}))
      text(`option ${o.name} localized description`, v, DISCORD.description);
    if (o.required === false) seenOptional = true;
    else if (seenOptional) out.push(`${cmd.name}: required option ${o.name} after an optional one`);
    if (o.autocomplete && o.choices?.length) out.push(`${cmd.name}: ${o.name} has both autocomplete and choices`);
    if ((o.choices ?? []).length > DISCORD.maxChoices) out.push(`${cmd.name}: ${o.name} has too many choices`);
    for (const c of o.choices ?? []) {
      text('choice name', c.name, DISCORD.choiceName);
      for (const v of Object.values(c.name_localizations ?? {})) text('localized choice name', v, DISCORD.choiceName);
      text('choice value', c.value, DISCORD.choiceValue);
    }
    if (o.max_length !== undefined && (o.max_length < 1 || o.max_length > DISCORD.maxLength))
      out.push(`${cmd.name}: ${o.name} max_length out of range`);
  }
  if (scope === 'guild' && (cmd.contexts !== undefined || cmd.integration_types !== undefined))
    out.push(`${cmd.name}: contexts are for global commands only`);
  return out;
}

describe('Discord registration', () => {
  const json = toDiscordJSON(allCommands);

  it('generates exactly the pinned JSON', () => {
    expect(json).toEqual(PINNED);
  });

  it('passes the shared declaration rules', () => {
    expect(() => validateCommands(allCommands)).not.toThrow();
  });

  it('keeps every command within Discord’s rules', () => {
    expect(json.global.length).toBeLessThanOrEqual(DISCORD.maxGlobal);
    const all = [
      ...json.global.map((c) => problems(c as Json, 'global')),
      ...json.triage.map((c) => problems(c as Json, 'guild')),
      ...toGuildJSON(allCommands, true).map((c) => problems(c as Json, 'guild')),
    ].flat();
    expect(all).toEqual([]);
  });

  it('registers triage commands only in the triage server, hidden by default, and everyone’s commands in servers and DMs', () => {
    const triageNames = allCommands.filter((c) => c.audience === 'triage').map((c) => c.name);
    expect(triageNames.length).toBeGreaterThan(0);
    expect(json.global.map((c) => c.name)).toEqual(allCommands.filter((c) => c.audience === 'everyone').map((c) => c.name));
    for (const c of json.triage) expect(c).toMatchObject({ default_member_permissions: '0' });
    for (const c of json.global) expect(c).toMatchObject({ contexts: [0, 1], integration_types: [0] });
    expect(toGuildJSON(allCommands, false).map((c) => c.name)).toEqual(json.global.map((c) => c.name));
  });

  it('declares a file option as an attachment option', () => {
    const evidence = defineCommand({
      name: 'evidence',
      description: 'cmd.report.description',
      usage: 'cmd.report.usage',
      audience: 'everyone',
      where: 'private-only',
      options: { image: { kind: 'file', schema: z.unknown(), description: 'cmd.report.description', required: true } },
      handler: async () => Promise.reject(new Error('not run')),
    }) as unknown as AnyCommand;
    const [cmd] = toDiscordJSON([evidence]).global;
    const report = PINNED.global.find((c) => c.name === 'report')!;
    expect((cmd as Json).options).toEqual([
      {
        type: 11,
        name: 'image',
        name_localizations: same('image'),
        description: report.description,
        description_localizations: report.description_localizations,
        required: true,
      },
    ]);
  });

  describe('npm run discord:register', () => {
    let fake: FakeDiscord;
    beforeAll(async () => {
      fake = await startFakeDiscord({ guilds: [] });
    });
    afterAll(async () => {
      await fake?.close();
    });

    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/tools/discord-register.ts', ...args], {
          env: {
            PATH: process.env.PATH ?? '',
            DISCORD_TOKEN: 'x'.repeat(30) + '.fake',
            DISCORD_APPLICATION_ID: FAKE.applicationId,
            DISCORD_API_ROOT: fake.apiRoot,
            DISCORD_TRIAGE_GUILD_ID: FAKE.triageGuild.id,
            ...env,
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const puts = (path: string) => fake.calls.filter((c) => c.method === 'PUT' && c.path === path && c.status === 200);

    it('PUTs everyone’s commands globally and the triage commands to the triage server, idempotently', async () => {
      fake.fail({ status: 429, times: 1, path: /\/commands$/, retryAfter: 0.2 });
      const first = await run([]);
      const second = await run([]);
      for (const r of [first, second]) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`registered 13 commands globally\nregistered 1 command in the triage server ${FAKE.triageGuild.id}\n`);
      }
      const global = puts(`/applications/${FAKE.applicationId}/commands`);
      const triage = puts(`/applications/${FAKE.applicationId}/guilds/${FAKE.triageGuild.id}/commands`);
      expect(global).toHaveLength(2);
      expect(triage).toHaveLength(2);
      for (const c of global) expect(c.body).toEqual(json.global);
      for (const c of triage) expect(c.body).toEqual(json.triage);
    });

    it('PUTs every command to one server with --guild', async () => {
      const r = await run(['--guild', FAKE.communityGuild.id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`registered 13 commands in server ${FAKE.communityGuild.id}\n`);
      expect(puts(`/applications/${FAKE.applicationId}/guilds/${FAKE.communityGuild.id}/commands`).map((c) => c.body)).toEqual([
        toGuildJSON(allCommands, false),
      ]);
    });

    it('fails with one clear line on a refused token or a bad argument', async () => {
      fake.fail({ status: 401, times: 1 });
      const [refused, bad, missing] = await Promise.all([run([]), run(['--guild', 'general']), run([], { DISCORD_TOKEN: '' })]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        'discord:register: Discord refused DISCORD_TOKEN (401): copy the bot token again from the Developer Portal → Bot → Reset Token\n',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain('--guild takes a numeric server id');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('set DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    });
  });
});
