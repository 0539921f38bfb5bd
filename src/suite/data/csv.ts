/**
 * Comma- and tab-separated values, read as RFC 4180 says: the first row names
 * the fields; a field may be quoted ("…", with "" for a quote) and then hold
 * the delimiter and line breaks; rows end in CRLF, LF or CR. A quote inside an
 * unquoted field, text after a closing quote, an unclosed quote, a row with
 * more or fewer fields than the header, and an empty or repeated header name
 * are errors naming the line. Every value is text.
 */
import { InputError, InputErrors } from "../../errors.js";
import { withoutBom, type DataRecord } from "./records.js";

interface Row {
  values: string[];
  /** The line the row starts on. */
  line: number;
}

export function readDelimited(file: string, text: string, delimiter: "," | "\t"): DataRecord[] {
  const body = withoutBom(text);
  if (body.trim() === "") throw new InputError("the file is empty; the first row must name the fields", { file });
  const rows = splitRows(file, body, delimiter);
  const header = rows.shift()!;
  const errors: InputError[] = [];
  const seen = new Set<string>();
  header.values.forEach((name, index) => {
    if (name.trim() === "") errors.push(new InputError(`column ${index + 1} of the header has no name`, { file, line: header.line }));
    else if (seen.has(name)) errors.push(new InputError(`the header names "${name}" twice`, { file, line: header.line }));
    seen.add(name);
  });
  const records: DataRecord[] = [];
  for (const row of rows) {
    if (row.values.length === 1 && row.values[0] === "") continue; // a blank line
    if (row.values.length !== header.values.length) {
      errors.push(new InputError(`the row has ${row.values.length} field(s), the header ${header.values.length}`, { file, line: row.line }));
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.values.forEach((name, index) => (fields[name] = row.values[index]));
    records.push({ fields, line: row.line, path: null });
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return records;
}

function splitRows(file: string, text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let values: string[] = [];
  let rowLine = 1;
  let at = 0;
  const endOfLine = (index: number) => (text[index] === "\r" && text[index + 1] === "\n" ? 2 : text[index] === "\n" || text[index] === "\r" ? 1 : 0);
  for (;;) {
    if (text[at] === '"') {
      const openedOn = line;
      let value = "";
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote === -1) throw new InputError("a quoted field is not closed", { file, line: openedOn });
        const chunk = text.slice(at, quote);
        line += countLineBreaks(chunk);
        value += chunk;
        if (text[quote + 1] === '"') {
          value += '"';
          at = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      values.push(value);
      if (at < text.length && text[at] !== delimiter && endOfLine(at) === 0) {
        throw new InputError("text after a closing quote; a field with a quote must be quoted whole, with the quote doubled", { file, line });
      }
    } else {
      let end = at;
      while (end < text.length && text[end] !== delimiter && endOfLine(end) === 0) end++;
      const value = text.slice(at, end);
      if (value.includes('"')) throw new InputError('a quote inside an unquoted field; quote the field and double the quote ("")', { file, line });
      values.push(value);
      at = end;
    }
    if (at >= text.length) {
      rows.push({ values, line: rowLine });
      break;
    }
    if (text[at] === delimiter) {
      at++;
      continue;
    }
    at += endOfLine(at);
    rows.push({ values, line: rowLine });
    line++;
    rowLine = line;
    values = [];
    if (at >= text.length) break; // the last row ended in a line break
  }
  return rows;
}

function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\n|\r/g) ?? []).length;
}
