import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { mockApis } from '@backstage/test-utils';
import { awsGatewayTranslationRef } from '../translation';

/**
 * The plugin's default (English) messages, for functions tested outside React.
 * Typed explicitly: emitting the inferred type of `t` makes the whole-repo
 * declaration build run out of memory.
 */
export const defaultT: TranslationFunction<typeof awsGatewayTranslationRef.T> =
  mockApis.translation().getTranslation(awsGatewayTranslationRef).t;
