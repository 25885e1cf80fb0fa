import { Button, FileButton, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';

export const acceptedFileTypes = '.csv,.txt,text/csv,text/plain';

/**
 * Where the admin drops HR's file, or picks it with the file dialog. One file at a time; the page
 * judges its name and size, main its contents.
 */
export function ListDropZone({ onFile, busy }: { onFile: (file: File) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <Paper
      withBorder
      radius="md"
      p="xl"
      data-testid="list-drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-primary-color-filled)' : undefined,
        background: over ? 'var(--mantine-primary-color-light)' : undefined,
        height: '100%',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
      }}
    >
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={52} radius="xl" variant="light">
          <IconFileUpload size={28} stroke={1.5} />
        </ThemeIcon>
        <Text fw={600}>{over ? 'Drop the file to import it' : 'Drop HR’s CSV or text file here'}</Text>
        <Text size="sm" c="dimmed">
          or
        </Text>
        <FileButton onChange={(file) => file && onFile(file)} accept={acceptedFileTypes}>
          {(props) => (
            <Button {...props} variant="default" loading={busy}>
              Choose a file…
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed" maw={300}>
          .csv or .txt, saved by Excel or any editor: comma or semicolon separated, UTF-8 or UTF-16, up to 8 MB.
        </Text>
      </Stack>
    </Paper>
  );
}
