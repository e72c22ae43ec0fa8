import GridViewIcon from '@mui/icons-material/GridView';
import ViewListIcon from '@mui/icons-material/ViewList';
import Autocomplete from '@mui/material/Autocomplete';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { memo } from 'react';
import type { CatalogFacets, CatalogQuery } from '../../../../shared/contract/catalog';
import type { CatalogView } from './CatalogResults';
import { testIds } from '../../test-ids';

type DeploymentType = NonNullable<CatalogQuery['type']>;
const TYPES: DeploymentType[] = ['compose', 'helm', 'custom'];

/** What the engineer chose to narrow the catalog to (the search text is kept beside). */
export interface FilterChoice {
  tags: string[];
  organization: string;
  type: '' | DeploymentType;
  runsOn: string;
}

/**
 * The filters beside the search field (tags, organization, type, device) and the grid or list
 * switch. Memo'd: a keystroke in the search field, and each answer it brings, leave them as
 * they are instead of drawing them again.
 */
export const CatalogFilters = memo(function CatalogFilters({
  tags,
  organization,
  type,
  runsOn,
  facets,
  devices,
  view,
  onChange,
  onView,
}: FilterChoice & {
  facets: CatalogFacets | null | undefined;
  devices: readonly string[];
  view: CatalogView;
  onChange: (patch: Partial<FilterChoice>) => void;
  onView: (view: CatalogView) => void;
}) {
  return (
    <>
      <Autocomplete
        multiple
        options={facets?.tags.map((t) => t.value) ?? []}
        value={tags}
        onChange={(_, value) => onChange({ tags: value.slice(0, 20) })}
        getOptionLabel={(o) => {
          const count = facets?.tags.find((t) => t.value === o)?.count;
          return count === undefined ? o : `${o} (${count})`;
        }}
        renderValue={(value, getItemProps) =>
          value.map((tag, index) => {
            const { key, ...props } = getItemProps({ index });
            return <Chip key={key} label={tag} {...props} />;
          })
        }
        sx={{ flex: '0 1 220px', minWidth: 160 }}
        renderInput={(params) => (
          <TextField
            {...params}
            label="Tags"
            placeholder={tags.length ? undefined : 'Any'}
            slotProps={{
              ...params.slotProps,
              inputLabel: { ...params.slotProps.inputLabel, shrink: true },
              htmlInput: {
                ...params.slotProps.htmlInput,
                'data-testid': testIds.catalog.filterTag,
              },
            }}
          />
        )}
      />
      <TextField
        select
        label="Organization"
        value={organization}
        onChange={(e) => onChange({ organization: e.target.value })}
        sx={{ flex: '0 1 170px', minWidth: 130 }}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': testIds.catalog.filterOrganization },
          inputLabel: { shrink: true },
        }}
      >
        <option value="">Any</option>
        {facets?.organizations.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({o.count})
          </option>
        ))}
      </TextField>
      <TextField
        select
        label="Type"
        value={type}
        onChange={(e) => onChange({ type: e.target.value as FilterChoice['type'] })}
        sx={{ flex: '0 1 130px', minWidth: 110 }}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': testIds.catalog.filterType },
          inputLabel: { shrink: true },
        }}
      >
        <option value="">Any</option>
        {TYPES.map((t) => {
          const count = facets?.types.find((f) => f.value === t)?.count;
          return (
            <option key={t} value={t}>
              {t}
              {count !== undefined ? ` (${count})` : ''}
            </option>
          );
        })}
      </TextField>
      <TextField
        select
        label="Runs on"
        value={runsOn}
        onChange={(e) => onChange({ runsOn: e.target.value })}
        sx={{ flex: '0 1 160px', minWidth: 120 }}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': testIds.catalog.filterRunsOn },
          inputLabel: { shrink: true },
        }}
      >
        <option value="">Any device</option>
        {devices.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </TextField>
      <ToggleButtonGroup
        exclusive
        value={view}
        onChange={(_, v: CatalogView | null) => {
          if (v) onView(v);
        }}
        aria-label="View"
      >
        <ToggleButton value="grid" aria-label="Grid view" data-testid={testIds.catalog.viewGrid}>
          <GridViewIcon fontSize="small" />
        </ToggleButton>
        <ToggleButton value="list" aria-label="List view" data-testid={testIds.catalog.viewList}>
          <ViewListIcon fontSize="small" />
        </ToggleButton>
      </ToggleButtonGroup>
    </>
  );
});
