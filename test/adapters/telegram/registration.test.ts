/**
 * Telegram's command menus derived from the declarations: pinned payloads, scopes that keep
 * private-only and triage commands out of group menus, and the platform rules for every entry.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allCommands } from '../../../commands/index.ts';
import { defineCommand, opt, UncompliantCommandsError } from '../../../commands/define.ts';
import { toTelegramCommands } from '../../../src/adapters/telegram/registration.ts';
import type { AnyCommand } from '../../../src/core/commands/command.types.ts';
import { ok } from '../../../src/core/result.ts';
import { textReply } from '../../../src/core/reply.ts';

describe('toTelegramCommands', () => {
  it('derives one setMyCommands payload per scope and language (pinned)', () => {
    expect(toTelegramCommands(allCommands, { triageChatId: '-1009000000001' })).toEqual([
      {
        scope: { type: 'default' },
        commands: [
          { command: 'lookup', description: 'Find reported stations by city, country or name, with sources' },
          { command: 'sources', description: 'Show the sources and quotes behind the dataset or one place' },
          { command: 'tactics', description: 'Tactics reported against people abroad (threats, frozen accounts…), with sources' },
          { command: 'map', description: 'See the reported stations on a map, with sources' },
          { command: 'help', description: 'What Lantern is and how it handles your data' },
          { command: 'resources', description: 'Whom to contact and digital-safety basics' },
          { command: 'language', description: 'Choose your language' },
        ],
      },
      {
        scope: { type: 'default' },
        language_code: 'zh',
        commands: [
          { command: 'lookup', description: '按城市、国家或名称查询被报道的站点及来源' },
          { command: 'sources', description: '查看数据集或某一地点背后的来源与引文' },
          { command: 'tactics', description: '据报道针对海外人士的手段（威胁、冻结账户等）及来源' },
          { command: 'map', description: '在地图上查看被报道的站点及来源' },
          { command: 'help', description: 'Lantern 是什么以及如何处理您的数据' },
          { command: 'resources', description: '可以联系谁以及数字安全基础' },
          { command: 'language', description: '选择语言' },
        ],
      },
      {
        scope: { type: 'all_private_chats' },
        commands: [
          { command: 'lookup', description: 'Find reported stations by city, country or name, with sources' },
          { command: 'sources', description: 'Show the sources and quotes behind the dataset or one place' },
          { command: 'tactics', description: 'Tactics reported against people abroad (threats, frozen accounts…), with sources' },
          { command: 'map', description: 'See the reported stations on a map, with sources' },
          { command: 'report', description: 'Report an encounter privately (threats, pressure, surveillance)' },
          { command: 'myreports', description: 'Check the status of your report with its receipt code' },
          { command: 'forget', description: 'Erase your report with its receipt code' },
          { command: 'help', description: 'What Lantern is and how it handles your data' },
          { command: 'resources', description: 'Whom to contact and digital-safety basics' },
          { command: 'language', description: 'Choose your language' },
          { command: 'cancel', description: 'Cancel the report in progress (nothing is sent)' },
          { command: 'back', description: 'Go back one step in the report in progress' },
          { command: 'draft', description: 'Show, privately, what your report in progress holds' },
        ],
      },
      {
        scope: { type: 'all_private_chats' },
        language_code: 'zh',
        commands: [
          { command: 'lookup', description: '按城市、国家或名称查询被报道的站点及来源' },
          { command: 'sources', description: '查看数据集或某一地点背后的来源与引文' },
          { command: 'tactics', description: '据报道针对海外人士的手段（威胁、冻结账户等）及来源' },
          { command: 'map', description: '在地图上查看被报道的站点及来源' },
          { command: 'report', description: '私下报告遭遇（威胁、施压、监视）' },
          { command: 'myreports', description: '凭回执码查看您的报告状态' },
          { command: 'forget', description: '凭回执码删除您的报告' },
          { command: 'help', description: 'Lantern 是什么以及如何处理您的数据' },
          { command: 'resources', description: '可以联系谁以及数字安全基础' },
          { command: 'language', description: '选择语言' },
          { command: 'cancel', description: '取消正在填写的报告（不会发送任何内容）' },
          { command: 'back', description: '在正在填写的报告中返回上一步' },
          { command: 'draft', description: '私下查看您正在填写的报告的内容' },
        ],
      },
      {
        scope: { type: 'chat', chat_id: -1009000000001 },
        commands: [
          { command: 'lookup', description: 'Find reported stations by city, country or name, with sources' },
          { command: 'sources', description: 'Show the sources and quotes behind the dataset or one place' },
          { command: 'tactics', description: 'Tactics reported against people abroad (threats, frozen accounts…), with sources' },
          { command: 'map', description: 'See the reported stations on a map, with sources' },
          { command: 'help', description: 'What Lantern is and how it handles your data' },
          { command: 'resources', description: 'Whom to contact and digital-safety basics' },
          { command: 'language', description: 'Choose your language' },
          { command: 'triage', description: 'Triage team: review, update and export reports' },
        ],
      },
      {
        scope: { type: 'chat', chat_id: -1009000000001 },
        language_code: 'zh',
        commands: [
          { command: 'lookup', description: '按城市、国家或名称查询被报道的站点及来源' },
          { command: 'sources', description: '查看数据集或某一地点背后的来源与引文' },
          { command: 'tactics', description: '据报道针对海外人士的手段（威胁、冻结账户等）及来源' },
          { command: 'map', description: '在地图上查看被报道的站点及来源' },
          { command: 'help', description: 'Lantern 是什么以及如何处理您的数据' },
          { command: 'resources', description: '可以联系谁以及数字安全基础' },
          { command: 'language', description: '选择语言' },
          { command: 'triage', description: '审核团队：审阅、更新和导出报告' },
        ],
      },
    ]);
  });

  it('leaves out the triage group scope when no triage chat is configured', () => {
    const payloads = toTelegramCommands(allCommands);
    expect(payloads.map((p) => [p.scope.type, p.language_code ?? 'default'])).toEqual([
      ['default', 'default'],
      ['default', 'zh'],
      ['all_private_chats', 'default'],
      ['all_private_chats', 'zh'],
    ]);
    expect(payloads.flatMap((p) => p.commands.map((c) => c.command))).not.toContain('triage');
  });

  it('never shows triage commands outside the triage group, nor private-only ones in group menus', () => {
    const payloads = toTelegramCommands(allCommands, { triageChatId: '-1009000000001' });
    for (const p of payloads) {
      const names = p.commands.map((c) => c.command);
      const inGroups = p.scope.type === 'default' || p.scope.type === 'chat';
      for (const d of allCommands) {
        if (d.audience === 'triage') expect(names.includes(d.name), `${d.name} in ${p.scope.type}`).toBe(p.scope.type === 'chat');
        if (d.where === 'private-only') expect(names.includes(d.name), `${d.name} in ${p.scope.type}`).toBe(!inGroups);
      }
    }
  });

  it('keeps every entry within Telegram’s rules', () => {
    for (const p of toTelegramCommands(allCommands, { triageChatId: '-1009000000001' }))
      for (const c of p.commands) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThanOrEqual(1);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
  });

  it('refuses declarations that break the platforms’ rules, listing every offender', () => {
    const bad = defineCommand({
      name: 'Bad-Name',
      description: 'cmd.help.description',
      usage: 'cmd.help.usage',
      audience: 'everyone',
      where: 'anywhere',
      options: { BadOption: opt.string(z.string(), 'cmd.help.description') },
      handler: async () => ok(textReply('x')),
    }) as unknown as AnyCommand;
    expect(() => toTelegramCommands([...allCommands, bad])).toThrow(UncompliantCommandsError);
    try {
      toTelegramCommands([...allCommands, bad]);
    } catch (e) {
      expect((e as UncompliantCommandsError).problems).toEqual([
        expect.stringContaining('/Bad-Name: name must match'),
        expect.stringContaining('option "BadOption" must be snake_case'),
      ]);
    }
  });
});
