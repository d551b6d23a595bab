import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { language } from '../src/core/language/language.handler.ts';
import { LOCALES } from '../src/core/i18n/locales.ts';

export default defineCommand({
  name: 'language',
  description: 'cmd.language.description',
  usage: 'cmd.language.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    language: opt.optionalString(z.enum(LOCALES), 'opt.language.language', {
      choices: [
        { value: 'en', label: 'language.name.en' },
        { value: 'zh-Hans', label: 'language.name.zh-Hans' },
        { value: 'zh-Hant', label: 'language.name.zh-Hant' },
      ],
    }),
  },
  handler: language,
});
