/**
 * Prompt templates over a record's fields: `{field}` is the field's text;
 * `{?field}…{/field}` is kept only when that field is present and non-empty
 * (so an Alpaca record without `input` gets no empty input block), as the
 * `{?system}` section of a template file. Other braces are text.
 */

type Part = { text: string } | { field: string } | { section: string; parts: Part[] };

export interface FieldTemplate {
  source: string;
  parts: Part[];
  /** Every field the template reads, in order of first use. */
  fields: string[];
}

const TOKEN = /\{([?/]?)([\p{L}\p{N}_][\p{L}\p{N}_ .-]*)\}/gu;

/** Parses a template; an unclosed or mismatched section is a message (for the suite's own line). */
export function parseFieldTemplate(source: string): FieldTemplate | string {
  const root: Part[] = [];
  const open: Array<{ field: string; parts: Part[] }> = [];
  const fields = new Set<string>();
  let at = 0;
  const current = () => open.at(-1)?.parts ?? root;
  for (const match of source.matchAll(TOKEN)) {
    if (match.index > at) current().push({ text: source.slice(at, match.index) });
    at = match.index + match[0].length;
    const marker = match[1]!;
    const field = match[2]!;
    fields.add(field);
    if (marker === "?") open.push({ field, parts: [] });
    else if (marker === "/") {
      const section = open.pop();
      if (!section || section.field !== field) return `{/${field}} closes ${section ? `{?${section.field}}` : "no section"}`;
      current().push({ section: field, parts: section.parts });
    } else current().push({ field });
  }
  if (open.length > 0) return `{?${open.at(-1)!.field}} is not closed with {/${open.at(-1)!.field}}`;
  if (at < source.length) current().push({ text: source.slice(at) });
  return { source, parts: root, fields: [...fields] };
}

/** A field's value as prompt text: strings, numbers and booleans; null and absent are empty; lists and objects are not text (null). */
export function fieldText(value: unknown): string | null {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

export type RenderResult = { text: string } | { field: string; problem: string };

export function renderFieldTemplate(template: FieldTemplate, fields: Record<string, unknown>): RenderResult {
  let text = "";
  const notText = (field: string) => ({ field, problem: "must be text, a number or a boolean to go into the prompt" });
  const render = (parts: Part[]): RenderResult | null => {
    for (const part of parts) {
      if ("text" in part) text += part.text;
      else if ("field" in part) {
        if (!(part.field in fields)) return { field: part.field, problem: `the record has no field "${part.field}" (the prompt template uses it)` };
        const value = fieldText(fields[part.field]);
        if (value === null) return notText(part.field);
        text += value;
      } else {
        const value = fieldText(fields[part.section]);
        if (value === null) return notText(part.section);
        if (value.trim() === "") continue;
        const inner = render(part.parts);
        if (inner) return inner;
      }
    }
    return null;
  };
  return render(template.parts) ?? { text };
}
