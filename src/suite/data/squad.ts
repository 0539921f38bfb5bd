/**
 * The SQuAD v2 JSON layout (JSQuAD uses it): data[].paragraphs[].qas[], one
 * record per question, with its paragraph's context. A record's fields: the
 * question's own (id, question…), title, context, answers (the answer texts)
 * and is_impossible (true for an unanswerable question, or one with no answers).
 */
import { InputError, InputErrors } from "../../errors.js";
import type { PathSegments } from "../../util/yaml-source.js";
import { parseJson, JsonLocator } from "./json.js";
import { describeJsonType, isRecordObject, type DataRecord } from "./records.js";

export function readSquad(file: string, text: string): DataRecord[] {
  const document = parseJson(file, text);
  const locator = new JsonLocator(file, text);
  const errors: InputError[] = [];
  const problem = (message: string, path: PathSegments) => void errors.push(new InputError(message, locator.locate(path)));
  const listAt = (value: unknown, path: PathSegments): unknown[] => {
    if (Array.isArray(value)) return value;
    problem(value === undefined ? "missing (SQuAD layout: data[].paragraphs[].qas[])" : `must be an array, not ${describeJsonType(value)}`, path);
    return [];
  };
  const textAt = (value: unknown, path: PathSegments): string | null => {
    if (typeof value === "string") return value;
    problem(value === undefined ? "missing" : `must be a string, not ${describeJsonType(value)}`, path);
    return null;
  };
  if (!isRecordObject(document)) throw new InputError(`a SQuAD file is an object with "data", not ${describeJsonType(document)}`, { file });
  const records: DataRecord[] = [];
  listAt(document.data, ["data"]).forEach((article, a) => {
    const articlePath = ["data", a];
    if (!isRecordObject(article)) return problem(`must be an object, not ${describeJsonType(article)}`, articlePath);
    const title = typeof article.title === "string" ? article.title : "";
    listAt(article.paragraphs, [...articlePath, "paragraphs"]).forEach((paragraph, p) => {
      const paragraphPath = [...articlePath, "paragraphs", p];
      if (!isRecordObject(paragraph)) return problem(`must be an object, not ${describeJsonType(paragraph)}`, paragraphPath);
      const context = textAt(paragraph.context, [...paragraphPath, "context"]);
      listAt(paragraph.qas, [...paragraphPath, "qas"]).forEach((qa, q) => {
        const path = [...paragraphPath, "qas", q];
        if (!isRecordObject(qa)) return problem(`must be an object, not ${describeJsonType(qa)}`, path);
        const answers: string[] = [];
        listAt(qa.answers ?? [], [...path, "answers"]).forEach((answer, n) => {
          if (!isRecordObject(answer)) return problem("must be an object with text", [...path, "answers", n]);
          const answerText = textAt(answer.text, [...path, "answers", n, "text"]);
          if (answerText !== null) answers.push(answerText);
        });
        if (qa.is_impossible !== undefined && typeof qa.is_impossible !== "boolean") {
          problem(`must be true or false, not ${describeJsonType(qa.is_impossible)}`, [...path, "is_impossible"]);
        }
        const impossible = qa.is_impossible === true || answers.length === 0;
        records.push({ fields: { ...qa, title, context: context ?? "", answers: impossible ? [] : answers, is_impossible: impossible }, line: null, path });
      });
    });
  });
  if (errors.length > 0) throw new InputErrors(errors);
  return records;
}

/** The JSON path of a SQuAD record's field: the context is its paragraph's, the title its article's. */
export function squadFieldPath(record: DataRecord, field: string): PathSegments {
  const path = record.path ?? [];
  if (field === "context") return [...path.slice(0, -2), "context"];
  if (field === "title") return [...path.slice(0, -4), "title"];
  return [...path, field];
}
