/** JSON Lines: one JSON object per line; blank lines are skipped. */
import { InputError, InputErrors } from "../../errors.js";
import { describeJsonType, isRecordObject, withoutBom, type DataRecord } from "./records.js";

export function readJsonLines(file: string, text: string): DataRecord[] {
  const records: DataRecord[] = [];
  const errors: InputError[] = [];
  withoutBom(text)
    .split(/\r\n|\n|\r/)
    .forEach((line, index) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        errors.push(new InputError(`not valid JSON: ${(error as Error).message}`, { file, line: index + 1 }));
        return;
      }
      if (!isRecordObject(value)) errors.push(new InputError(`a record must be a JSON object, not ${describeJsonType(value)}`, { file, line: index + 1 }));
      else records.push({ fields: value, line: index + 1, path: null });
    });
  if (errors.length > 0) throw new InputErrors(errors);
  return records;
}
