import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the portal shell', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    // Signed out, the shell shows the sign-in page the app configures (guest).
    expect(
      await rendered.findByText(
        /Enter as a Guest User/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(rendered.getByRole('button', { name: 'Enter' })).toBeEnabled();
  }, 30_000);
});
