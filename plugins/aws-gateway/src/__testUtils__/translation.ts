import { mockApis } from '@backstage/test-utils';
import { awsGatewayTranslationRef } from '../translation';

/** The plugin's default (English) messages, for functions tested outside React. */
export const defaultT = mockApis
  .translation()
  .getTranslation(awsGatewayTranslationRef).t;
