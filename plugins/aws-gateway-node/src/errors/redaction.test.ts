import { redactAddresses, redactSecrets } from './redaction';

describe('redaction', () => {
  it('never lets credentials through', () => {
    const msg = redactSecrets(
      'failed: Authorization: Bearer eyJhbGciOi.abc token=k8s-aws-v1.aHR0cHM6Ly9zdHM X-Amz-Signature=deadbeef&X-Amz-Security-Token=FQoG key AKIAIOSFODNN7EXAMPLE',
    );
    expect(msg).not.toMatch(
      /eyJhbGciOi|aHR0cHM6Ly9zdHM|deadbeef|FQoG|AKIAIOSFODNN7EXAMPLE/,
    );
  });

  it('takes URLs and internal addresses out', () => {
    const msg = redactAddresses(
      'connect ECONNREFUSED 10.0.3.7:5432 (redis://cache.internal:6379, [fd00::1]:443, db.internal:5432)',
    );
    expect(msg).not.toMatch(/10\.0\.3\.7|cache\.internal|fd00|db\.internal/);
    expect(msg).toContain('ECONNREFUSED');
  });
});
