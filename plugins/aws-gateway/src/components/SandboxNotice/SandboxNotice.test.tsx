import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { SandboxNotice } from './SandboxNotice';

type ConfigData = Parameters<typeof mockApis.config>[0] extends
  | { data?: infer D }
  | undefined
  ? D
  : never;

function renderWith(data: ConfigData) {
  return renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      <div data-testid="card">
        <SandboxNotice />
      </div>
    </TestApiProvider>,
  );
}

describe('SandboxNotice', () => {
  it('says the data is emulated when the backend runs on the sandbox (awsGateway.sandbox: true)', async () => {
    await renderWith({ awsGateway: { sandbox: true } });
    const notice = screen.getByRole('alert');
    expect(notice).toHaveTextContent(/Sandbox: emulated AWS, local cluster/);
    expect(notice).toHaveTextContent(/nothing exists in a real AWS account/);
  });

  it.each<ConfigData>([
    {},
    { awsGateway: { sandbox: false } },
    { awsGateway: {} },
  ])('shows nothing otherwise (%j)', async data => {
    await renderWith(data);
    expect(screen.getByTestId('card')).toBeEmptyDOMElement();
  });
});
