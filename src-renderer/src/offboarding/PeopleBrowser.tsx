import { Accordion, Group, Pagination, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { plural } from '../grants/grant-format';

export interface PeopleFilter<Person> {
  value: string;
  label: string;
  keep: (person: Person) => boolean;
}

const pageSize = 25;

/**
 * People of a dry run or a run, a page at a time (a run holds up to 5,000), with a search by email
 * and filters; each opens to its steps. The email is shown whole: it is what the admin checks.
 */
export function PeopleBrowser<Person extends { email: string }>({
  people,
  filters,
  summary,
  details,
  label,
}: {
  people: readonly Person[];
  /** The first is the default; each label gets its count. */
  filters: PeopleFilter<Person>[];
  summary: (person: Person) => ReactNode;
  details: (person: Person) => ReactNode;
  /** Names the list for screen readers, e.g. "People of the dry run". */
  label: string;
}) {
  const [filter, setFilter] = useState(filters[0]!.value);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const query = useDeferredValue(search.trim().toLowerCase());
  const active = filters.find((candidate) => candidate.value === filter) ?? filters[0]!;
  const shown = useMemo(() => people.filter((person) => active.keep(person) && (query === '' || person.email.toLowerCase().includes(query))), [people, active, query]);
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const onPage = shown.slice((Math.min(page, pages) - 1) * pageSize, Math.min(page, pages) * pageSize);

  return (
    <Stack gap="sm" aria-label={label} role="region">
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setPage(1);
          }}
          data={filters.map((candidate) => ({ value: candidate.value, label: `${candidate.label} · ${people.filter(candidate.keep).length.toLocaleString()}` }))}
        />
        <TextInput
          size="xs"
          w={260}
          leftSection={<IconSearch size={14} />}
          placeholder="Search by email"
          aria-label="Search by email"
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
        />
      </Group>
      {onPage.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="md">
          {people.length === 0 ? 'Nobody yet.' : 'Nobody matches.'}
        </Text>
      ) : (
        <Accordion multiple variant="contained" radius="md" chevronPosition="left">
          {onPage.map((person) => (
            <Accordion.Item key={person.email} value={person.email}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap" gap="md">
                  <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {person.email}
                  </Text>
                  <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                    {summary(person)}
                  </Group>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>{details(person)}</Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      {pages > 1 && (
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {plural(shown.length, 'person', 'people')}, {pageSize} a page
          </Text>
          <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
