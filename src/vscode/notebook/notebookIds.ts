/** The notebook's contributed names (package.json), shared by the activation shell and the notebook area. */
export const NOTEBOOK_TYPE = 'onetwentyone-notebook';
export const NOTEBOOK_CONTROLLER_ID = 'onetwentyone-notebook-kernel';
/** The language of query cells. */
export const QUERY_LANGUAGE = 'onetwentyone-query';
/** The first cell, the file's front matter: settings and variables. */
export const SETTINGS_LANGUAGE = 'yaml';
/** A query cell's result as the renderer reads it (src/core/notebook/cellOutput.ts). */
export const RECORDS_MIME = 'application/vnd.onetwentyone.records+json';
/** Outputs change when a cell runs; whether they are saved is the notebook's own setting. */
export const NOTEBOOK_SERIALIZER_OPTIONS = { transientOutputs: false } as const;
