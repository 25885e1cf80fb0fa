import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { ErrorBoundary } from '../../../src-renderer/src/components/ErrorBoundary';

function Broken(): never {
  throw new Error('render failed with token ya29.secret');
}

describe('error boundary', () => {
  test('replaces a failing page with a plain explanation, without the error text', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <MantineProvider>
        <ErrorBoundary>
          <Broken />
        </ErrorBoundary>
      </MantineProvider>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('This page could not be shown');
    expect(document.body.textContent).not.toContain('ya29');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
