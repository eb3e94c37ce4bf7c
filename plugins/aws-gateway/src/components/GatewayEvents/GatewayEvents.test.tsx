import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  GatewayEvent,
  GatewayEvents as GatewayEventsModel,
} from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayEvents } from './GatewayEvents';

const BUILD_FAILED: GatewayEvent = {
  type: 'Warning',
  reason: 'FailedBuildModel',
  message:
    "Failed build model due to TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
  object: { kind: 'Gateway', namespace: 'shop', name: 'web' },
  count: 4,
  lastSeen: '2026-01-01T11:00:00.000Z',
  reportingController: 'gateway',
  fix: 'Add a TargetGroupConfiguration for the Service with targetType: ip',
};
const RECONCILED: GatewayEvent = {
  type: 'Normal',
  reason: 'SuccessfullyReconciled',
  message: 'Successfully reconciled',
  object: { kind: 'Gateway', namespace: 'shop', name: 'web' },
  count: 1,
  lastSeen: '2026-01-01T10:00:00.000Z',
};

function read(items: GatewayEvent[], omitted?: number): GatewayEventsModel {
  return {
    availability: 'read',
    api: 'events.k8s.io/v1',
    items,
    ...(omitted ? { omitted } : {}),
  };
}

describe('GatewayEvents', () => {
  it('opens where something is wrong: warnings with their fix, count and time, as a table', async () => {
    await renderInTestApp(
      <GatewayEvents
        events={read([BUILD_FAILED, RECONCILED], 3)}
        somethingWrong
      />,
    );

    expect(
      screen.getByRole('button', { name: /Controller events \(2\)/ }),
    ).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('grid', {
      name: 'Kubernetes events about this gateway',
    });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Warning');
    expect(first).toHaveTextContent('FailedBuildModel');
    expect(first).toHaveTextContent('Gateway web');
    expect(first).toHaveTextContent('TargetGroup port is empty');
    expect(first).toHaveTextContent(
      'Fix: Add a TargetGroupConfiguration for the Service with targetType: ip',
    );
    expect(first).toHaveTextContent('×4');
    expect(first).toHaveTextContent('2026-01-01 11:00:00 UTC');
    expect(second).toHaveTextContent('SuccessfullyReconciled');
    expect(screen.getByText('3 more event(s) not shown.')).toBeInTheDocument();
  });

  it('stays folded when all is well, and opens on demand', async () => {
    await renderInTestApp(
      <GatewayEvents events={read([RECONCILED])} somethingWrong={false} />,
    );

    const toggle = screen.getByRole('button', {
      name: /Controller events \(1\)/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('SuccessfullyReconciled')).toBeVisible();
  });

  it('shows event text as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>';
    const { container } = await renderInTestApp(
      <GatewayEvents
        events={read([{ ...BUILD_FAILED, message: hostile, fix: undefined }])}
        somethingWrong
      />,
    );

    expect(screen.getByText(hostile)).toBeInTheDocument();
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('says when events are not readable or could not be read, without an error', async () => {
    const { rerender } = await renderInTestApp(
      <GatewayEvents
        events={{ availability: 'not-readable', items: [] }}
        somethingWrong
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Events are not readable',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    rerender(
      <GatewayEvents
        events={{ availability: 'failed', items: [] }}
        somethingWrong
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Events could not be read this time',
    );
  });

  it('shows nothing for a healthy gateway without events, or without an events part', async () => {
    const { container, rerender } = await renderInTestApp(
      <GatewayEvents events={read([])} somethingWrong={false} />,
    );
    expect(container).toBeEmptyDOMElement();
    rerender(<GatewayEvents somethingWrong />);
    expect(container).toBeEmptyDOMElement();
  });
});
