import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import { keyFromBase64 } from '../event-sourcing/personal-data/personal-data-cipher';
import { Env, readEnvironment, SECRET_SETTING, SettingThat } from './environment';

export interface PersonalDataConfig {
  /** Wraps every data subject's key; undefined outside production means a generated development key. */
  masterKey: Buffer | undefined;
  /** Still opens keys wrapped before a rotation, while the rotation rolls out. */
  previousMasterKey: Buffer | undefined;
  /** Only for `npm run rotate-master-key`: the key to re-wrap every data key under. */
  newMasterKey: Buffer | undefined;
  production: boolean;
}

const BASE64_KEY = 'the base64 of 32 random bytes, e.g. from: openssl rand -base64 32';

function isKey(value: string | undefined): boolean {
  return value === undefined || keyFromBase64(value) !== undefined;
}

/** The environment variables behind PersonalDataConfig. */
export class PersonalDataEnvironment {
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @SettingThat(
    (value, settings) => (value === undefined ? settings.NODE_ENV !== 'production' : isKey(value)),
    (value) =>
      value === undefined
        ? `${BASE64_KEY} (required when NODE_ENV=production: it protects the personal data in the event log)`
        : BASE64_KEY,
    SECRET_SETTING,
  )
  PERSONAL_DATA_MASTER_KEY?: string;

  @SettingThat(isKey, BASE64_KEY, SECRET_SETTING)
  PERSONAL_DATA_PREVIOUS_MASTER_KEY?: string;

  @SettingThat(isKey, BASE64_KEY, SECRET_SETTING)
  PERSONAL_DATA_NEW_MASTER_KEY?: string;
}

export function readPersonalDataConfig(env: Env = process.env): PersonalDataConfig {
  const settings = readEnvironment(PersonalDataEnvironment, env);
  const key = (value: string | undefined) => (value === undefined ? undefined : keyFromBase64(value));
  return {
    masterKey: key(settings.PERSONAL_DATA_MASTER_KEY),
    previousMasterKey: key(settings.PERSONAL_DATA_PREVIOUS_MASTER_KEY),
    newMasterKey: key(settings.PERSONAL_DATA_NEW_MASTER_KEY),
    production: settings.NODE_ENV === 'production',
  };
}

export const personalDataConfig = registerAs('personalData', () => readPersonalDataConfig());
