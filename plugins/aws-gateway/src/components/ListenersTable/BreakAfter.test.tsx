import { render } from '@testing-library/react';
import { BreakAfter } from './BreakAfter';

function renderBreaks(text: string, separators: string) {
  const { container } = render(
    <code>
      <BreakAfter text={text} separators={separators} />
    </code>,
  );
  return container.querySelector('code')!;
}

describe('BreakAfter', () => {
  it('allows a break after each separator and keeps the whole text', () => {
    const code = renderBreaks('nlb.elb.amazonaws.com:8080', '.');
    expect(code.textContent).toBe('nlb.elb.amazonaws.com:8080');
    expect(code.innerHTML).toBe('nlb.<wbr>elb.<wbr>amazonaws.<wbr>com:8080');
  });

  it('adds no break after a trailing separator or where there is none', () => {
    expect(renderBreaks('payments/', '/').innerHTML).toBe('payments/');
    expect(renderBreaks('payments', '/').innerHTML).toBe('payments');
  });

  it('breaks after each of several separators', () => {
    expect(renderBreaks('TCPRoute a.b/c', './').innerHTML).toBe(
      'TCPRoute a.<wbr>b/<wbr>c',
    );
  });
});
