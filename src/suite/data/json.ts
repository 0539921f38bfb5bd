/**
 * JSON data files: an array of records, or an object holding one (`records:`
 * names it when there are several). JSON.parse reads the data; the line of a
 * record or field is found with jsonc-parser only when a message needs it.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { InputError, InputErrors, type InputLocation } from "../../errors.js";
import { fieldName } from "../../util/ajv.js";
import type { PathSegments } from "../../util/yaml-source.js";
import { describeJsonType, isRecordObject, withoutBom, type DataRecord } from "./records.js";

/** Parses JSON text; a syntax error names its line and column. */
export function parseJson(file: string, text: string): unknown {
  const body = withoutBom(text);
  try {
    return JSON.parse(body);
  } catch {
    const errors: ParseError[] = [];
    parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const at = first ? lineColumn(body, first.offset) : {};
    throw new InputError(`not valid JSON${first ? ` (${printParseErrorCode(first.error)})` : ""}`, { file, ...at });
  }
}

export function readJsonRecords(file: string, text: string, recordsKey: string | undefined): DataRecord[] {
  const document = parseJson(file, text);
  let list: unknown[];
  let base: PathSegments;
  if (Array.isArray(document)) {
    if (recordsKey !== undefined) throw new InputError(`data.records names "${recordsKey}", but the file is an array`, { file });
    [list, base] = [document, []];
  } else if (isRecordObject(document)) {
    const arrays = Object.keys(document).filter((key) => Array.isArray(document[key]));
    const key = recordsKey ?? (arrays.length === 1 ? arrays[0] : undefined);
    if (key === undefined) {
      const found = arrays.length === 0 ? "no array" : `${arrays.length} arrays (${arrays.join(", ")})`;
      throw new InputError(`the file is an object holding ${found}; set data.records to the key of the records`, { file });
    }
    if (!Array.isArray(document[key])) throw new InputError(`"${key}" is ${describeJsonType(document[key])}, not an array of records`, { file, field: key });
    [list, base] = [document[key] as unknown[], [key]];
  } else {
    throw new InputError(`the file must hold an array of records, not ${describeJsonType(document)}`, { file });
  }
  const records: DataRecord[] = [];
  const locator = new JsonLocator(file, text);
  const errors: InputError[] = [];
  list.forEach((value, index) => {
    const path = [...base, index];
    if (isRecordObject(value)) records.push({ fields: value, line: null, path });
    else errors.push(new InputError(`a record must be a JSON object, not ${describeJsonType(value)}`, locator.locate(path)));
  });
  if (errors.length > 0) throw new InputErrors(errors);
  return records;
}

/** Locates records and fields of one JSON document, parsing its tree once, on the first call. */
export class JsonLocator {
  private root: Node | undefined | null = null;
  private body: string | null = null;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  locate(path: PathSegments): InputLocation {
    this.body ??= withoutBom(this.text);
    if (this.root === null) this.root = parseTree(this.body);
    // A missing key is placed at the nearest value that is there (the object that lacks it).
    let node: Node | undefined;
    for (let depth = path.length; this.root && !node && depth >= 0; depth--) node = findNodeAtLocation(this.root, path.slice(0, depth));
    return { file: this.file, ...(node ? lineColumn(this.body, node.offset) : {}), field: fieldName(path) || undefined };
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    start = at + 1;
  }
  return { line, column: offset - start + 1 };
}
