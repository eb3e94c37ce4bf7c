import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import failOnConsole from 'jest-fail-on-console';

/**
 * Said by the libraries around this plugin, not by it: Backstage's legacy
 * test app renders a React Router v6 MemoryRouter without the v7 flags;
 * jsdom's CSS parser (@acemir/cssom) throws on a rule JSS inserts into a
 * media query; MUI v4, which the scaffolder's form and review step are built
 * on, still calls React's deprecated findDOMNode (menus, list items).
 */
const LIBRARY_WARNINGS = [
  /React Router Future Flag Warning/,
  /\[JSS\] processedRuleToParse is not defined/,
  /findDOMNode is deprecated[\s\S]*at (?:Portal|ListItem) \([^)]*@material-ui\/core/,
];

// Any other React warning (act, keys, unknown props…) or complaint fails the
// test that caused it, so the card and the form fields stay quiet in apps.
failOnConsole({
  shouldFailOnError: true,
  shouldFailOnWarn: true,
  silenceMessage: message => LIBRARY_WARNINGS.some(w => w.test(message)),
});

// Backstage UI's tables (react-aria) render their rows in two passes: on a
// loaded CI machine a card test outlasts Jest's 5 s default, and a render
// after a click can outlast Testing Library's 1 s wait for what it shows.
// Nothing here waits for something to stay absent, so longer waits only cost
// time when a test fails.
jest.setTimeout(20_000);
configure({ asyncUtilTimeout: 5_000 });
