import { TextInput } from '@mantine/core';

/** Compared as main compares it: trimmed, whatever the case. */
export function isConfirmed(expected: string | null, typed: string): boolean {
  return !expected || typed.trim().toLowerCase() === expected.toLowerCase();
}

/** The text main asks the admin to type before a change it judges serious. */
export function TypedConfirmation({ expected, value, onChange }: { expected: string; value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      label={
        <>
          To confirm, type <strong>{expected}</strong>
        </>
      }
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      autoComplete="off"
      spellCheck={false}
      data-testid="consent-confirmation"
    />
  );
}
