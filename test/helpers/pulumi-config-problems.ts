import * as pulumi from '@pulumi/pulumi';
import { expect } from 'vitest';
import { ConfigError, readDeploymentConfig } from '../../stacks/config.js';
import { configValue } from './pulumi-mocks.js';

/** Sets the stack config (full keys, values as the stack file has them) as the engine hands it to a program. */
export function setStackConfig(config: Record<string, unknown>, secretKeys: readonly string[] = []): void {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, configValue(v)])), [...secretKeys]);
}

/** The problems readDeploymentConfig reports for a config, one line each; fails when the config is accepted. */
export function configProblems(config: Record<string, unknown>, secretKeys: readonly string[] = []): readonly string[] {
  setStackConfig(config, secretKeys);
  try {
    readDeploymentConfig();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the config was accepted');
}
