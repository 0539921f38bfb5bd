/**
 * The filterable, sortable table of report.html and diff.html, as the server
 * writes it. Each row is a `tr.row` (its id, data-key and filter tokens) with
 * its `tr.detail`, whose content waits in a <template> until first opened.
 *
 * Up to FIRST_ROWS rows are written as markup: what a browser without
 * JavaScript shows, and all of a page of that size. A longer table writes only
 * those and puts every row into a JSON data block (jsonScript): its filter
 * tokens, sort keys, search text and export fields, and the markup of the rows
 * not written. The page script filters, sorts and searches that data and puts
 * only the rows in view into the document, so 10,000 probes are never parsed,
 * styled and laid out as 10,000 rows.
 */
import { attribute, html, joinHtml, jsonScript, type SafeHtml } from "../util/html.js";
import { headCell, tokens } from "./page.js";

/** How many rows the table is written with; the page script shows as many at a time. */
export const FIRST_ROWS = 200;

/** How much of each output a table cell shows (report.html's output column, diff.html's two sides), in code points. */
export const OUTPUT_START = 160;

export interface TableColumn {
  /** The name the column sorts under in the URL fragment (`sort=-output`). */
  key: string;
  label: string;
  /** Sorts as numbers. */
  numeric?: boolean;
}

export type ExportValue = string | readonly string[] | null;

export interface TableRow {
  /** `suite/id`: the row's data-key, and its name in the fragment (`open=suite/id`). */
  key: string;
  /** The row's element id (the gate banner links to `#probe-…`), if it has one. */
  anchor?: string;
  /** The tokens each filter (`select[data-filter=K]`) matches. */
  filters: Readonly<Record<string, readonly string[]>>;
  /** One `<td>` per column, in the columns' order. */
  cells: readonly SafeHtml[];
  /** Sort values that are not the cell's text, by column key. */
  sort?: Readonly<Record<string, string | number>>;
  /** The opened row's content. */
  detail: SafeHtml;
  /** What the export writes for this row, by field name (the table's `fields`). */
  fields: Readonly<Record<string, ExportValue>>;
}

export interface RowsTable {
  id: string;
  columns: readonly TableColumn[];
  /** The export's fields in order, `name[]` for a list (also the DOM export of a short table: elements marked data-field). */
  fields: readonly string[];
  /** The download's name, before `.csv` / `.jsonl`. */
  exportName: string;
  /** The file with every row, named to readers without JavaScript when the table is long (`report.json`). */
  allRowsIn: string;
  rows: readonly TableRow[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/** The text of markup this codebase wrote (what the browser's textContent gives): tags dropped, the template's entities decoded. */
export function textOf(markup: SafeHtml | string): string {
  return String(markup)
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) =>
      ENTITIES[name] ?? (name[0] === "#" ? String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1))) : whole),
    );
}

/** A row and its detail row; a row written into the page carries its filter tokens as data-* attributes (the data block has them for the others). */
function rowMarkup(row: TableRow, columns: number, written: boolean): SafeHtml {
  // attribute() checks each name (the filter keys are this codebase's: status, suite…) and escapes each value.
  const filters = written ? Object.entries(row.filters).map(([key, values]) => attribute(`data-${key}`, tokens(new Set(values)))) : [];
  const id = row.anchor === undefined ? null : attribute("id", row.anchor);
  return html`<tr class="row"${id}${filters} data-key="${row.key}"><td><button class="expand" type="button" aria-expanded="false" title="show details">+</button></td>${row.cells}</tr>
<tr class="detail hidden"><td colspan="${columns + 1}"><template>${row.detail}</template></td></tr>`;
}

/** What the page script reads for every row of a long table. */
function rowData(row: TableRow, table: RowsTable, markup: SafeHtml, written: boolean): Record<string, unknown> {
  const filters = Object.fromEntries(Object.entries(row.filters).map(([key, values]) => [key, ` ${tokens(new Set(values))} `]));
  const sort = Object.fromEntries(
    table.columns.map((column, i) => {
      const value = row.sort?.[column.key] ?? textOf(row.cells[i] ?? "");
      return [column.key, typeof value === "string" && !column.numeric ? value.toLowerCase() : value];
    }),
  );
  // The row's markup holds its detail (in a <template>): its text is what the search looks in.
  const text = textOf(markup).toLowerCase();
  return { key: row.key, anchor: row.anchor ?? null, filters, sort, text, fields: row.fields, ...(written ? {} : { markup: String(markup) }) };
}

/** The table (its first FIRST_ROWS rows), and for a longer one, a line for readers without JavaScript and the data block of every row. */
export function rowsTable(table: RowsTable): SafeHtml {
  const markups = table.rows.map((row, i) => rowMarkup(row, table.columns.length, i < FIRST_ROWS));
  const written = markups.slice(0, FIRST_ROWS);
  const head = html`<thead><tr><th></th>${table.columns.map((column) => headCell(column.label, column.key, column.numeric))}</tr></thead>`;
  const element = html`<table class="rows" id="${table.id}" data-fields="${table.fields.join(" ")}" data-export-name="${table.exportName}">${head}
<tbody>
${joinHtml(written, "\n")}
</tbody></table>`;
  if (table.rows.length <= FIRST_ROWS) return element;
  const data = { rows: table.rows.map((row, i) => rowData(row, table, markups[i]!, i < FIRST_ROWS)) };
  return html`${element}<noscript><p class="muted">${`The first ${FIRST_ROWS} of ${table.rows.length} rows are shown; filtering, sorting, search and the other rows need JavaScript (${table.allRowsIn} has every probe).`}</p></noscript>${jsonScript(
    `${table.id}-data`,
    data,
  )}`;
}
