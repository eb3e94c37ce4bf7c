/** Names the unit tests' AWS fake answers for. */
export const FAKE_ACCOUNT = '111122223333';
export const FAKE_REGION = 'eu-west-1';
export const FAKE_CLUSTER = 'demo';

/** The response metadata every SDK answer and exception carries. */
export const meta = { $metadata: {} };
