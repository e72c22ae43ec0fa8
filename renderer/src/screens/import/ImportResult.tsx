import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type {
  ImportReport,
  ImportedItem,
  SourceProblem,
} from '../../../../shared/contract/import-report';
import { DiagnosticList } from '../../components/DiagnosticList';
import { reportSummary } from '../../components/JobView';
import { useApp } from '../../state/app-state';
import { testIds } from '../../test-ids';
import { screenWords } from '../../components/screen-words';

function Part({
  title,
  count,
  color,
  testId,
  children,
}: {
  title: string;
  count: number;
  color: string;
  testId: string;
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <Box component="section" data-testid={testId} data-count={count} sx={{ mt: 1 }}>
      <Typography variant="subtitle2" component="h4" sx={{ color }}>
        {title} ({count})
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 13 }}>
        {children}
      </Box>
    </Box>
  );
}

function ItemLine({ item, extra }: { item: ImportedItem; extra?: ReactNode }) {
  const { navigate } = useApp();
  return (
    <li>
      <Box component="span" sx={{ color: 'text.secondary' }}>
        {item.kind}
      </Box>{' '}
      {item.kind === 'application' && item.id ? (
        <Link
          component="button"
          onClick={() =>
            navigate({
              screen: 'catalog',
              params: {
                app: item.id as string,
                ...(item.version ? { version: item.version } : {}),
              },
            })
          }
          sx={{ fontFamily: 'monospace', fontSize: 13, verticalAlign: 'baseline' }}
        >
          {item.ref}
        </Link>
      ) : (
        <Box component="span" sx={{ fontFamily: 'monospace' }}>
          {item.ref}
        </Box>
      )}
      <Box component="span" sx={{ color: 'text.secondary' }}>
        {' '}
        from {item.source}
      </Box>
      {extra}
    </li>
  );
}

function ProblemLine({ p }: { p: SourceProblem }) {
  return (
    <li>
      <Box component="span" sx={{ fontFamily: 'monospace' }}>
        {p.source}
        {p.member ? ` (${p.member})` : ''}
      </Box>
      : {screenWords(p.message)}
    </li>
  );
}

/** What an import did, every list the report has, in the order an engineer acts on them. */
export function ImportResult({ report }: { report: ImportReport }) {
  return (
    <Box data-testid={testIds.imports.result}>
      <Typography
        variant="body2"
        data-testid={testIds.imports.resultSummary}
        sx={{ fontWeight: 600 }}
      >
        {reportSummary(report)}
      </Typography>
      <Part
        title="Imported"
        count={report.imported.length}
        color="success.main"
        testId={testIds.imports.resultPart('imported')}
      >
        {report.imported.map((item, i) => (
          <ItemLine key={i} item={item} />
        ))}
      </Part>
      <Part
        title="Unchanged (already in the store)"
        count={report.unchanged.length}
        color="text.secondary"
        testId={testIds.imports.resultPart('unchanged')}
      >
        {report.unchanged.map((item, i) => (
          <ItemLine key={i} item={item} />
        ))}
      </Part>
      <Part
        title="Conflicts"
        count={report.conflicts.length}
        color="error.main"
        testId={testIds.imports.resultPart('conflicts')}
      >
        {report.conflicts.map((item, i) => (
          <ItemLine
            key={i}
            item={item}
            extra={
              <Box component="div" sx={{ color: 'error.main' }}>
                {screenWords(item.message)}
              </Box>
            }
          />
        ))}
      </Part>
      <Part
        title="Invalid"
        count={report.invalid.length}
        color="error.main"
        testId={testIds.imports.resultPart('invalid')}
      >
        {report.invalid.map((item, i) => (
          <li key={i}>
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              {item.ref ?? item.source}
            </Box>
            {item.ref && (
              <Box component="span" sx={{ color: 'text.secondary' }}>
                {' '}
                from {item.source}
              </Box>
            )}
            : {screenWords(item.message)}
            <DiagnosticList diagnostics={item.diagnostics} />
          </li>
        ))}
      </Part>
      <Part
        title="Refused (nothing of these was kept)"
        count={report.refused.length}
        color="error.main"
        testId={testIds.imports.resultPart('refused')}
      >
        {report.refused.map((p, i) => (
          <ProblemLine key={i} p={p} />
        ))}
      </Part>
      <Part
        title="Unreadable"
        count={report.unreadable.length}
        color="error.main"
        testId={testIds.imports.resultPart('unreadable')}
      >
        {report.unreadable.map((p, i) => (
          <ProblemLine key={i} p={p} />
        ))}
      </Part>
      <Part
        title="Skipped (not importable)"
        count={report.skipped.length}
        color="text.secondary"
        testId={testIds.imports.resultPart('skipped')}
      >
        {report.skipped.map((p, i) => (
          <ProblemLine key={i} p={p} />
        ))}
      </Part>
    </Box>
  );
}
