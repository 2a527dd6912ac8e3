/**
 * The OneTwentyOne API's data routes, one description each: method, path, scope, paging, and every
 * query parameter with its rule (a zod/mini schema from ./routes/rules) and its form field. All the
 * rest is derived from this table: the form's fields and checks, the webview protocol's query schema,
 * the request builder (whose URL the panel shows and the client sends) and the query types. Adding a
 * parameter is an edit of this file alone. Also the quantity metrics the explorer knows.
 *
 * Every layer reads this file (the webview too: zod/mini only, no node or DOM); the activation bundle
 * takes only its types (lint). Its user-visible words are English, each marked `localizable` so that
 * the layer that shows it translates it (src/core/localizable.ts).
 */
import type * as z from 'zod/mini';
import { localizable } from './localizable';
import { countRule, flagRule, isoDateRule, pageRule, sortRule, typeNameRule, uuidRule } from './routes/rules';

export type Scope = 'quantity' | 'sleep' | 'workout' | 'profile';

export const ALL_SCOPES: readonly Scope[] = ['quantity', 'sleep', 'workout', 'profile'];

export const MAX_PAGE_SIZE = 10_000;
export const DEFAULT_PAGE_SIZE = 1_000;
export const DEFAULT_DAILY_LIMIT = 10_000;

/** The form field a parameter gets. */
export type ParamInput = 'date' | 'choice' | 'number' | 'checkbox' | 'text';

export interface ParamSpec<Rule extends z.ZodMiniType = z.ZodMiniType> {
  /** What a value must be; its message reads after the parameter's name ("must be …"). */
  readonly rule: Rule;
  readonly input: ParamInput;
  readonly label: string;
  readonly description: string;
  /** Shown in an empty text field. */
  readonly example?: string;
  /** A choice field's options, value and text; the empty value leaves the parameter out. */
  readonly choices?: readonly (readonly [string, string])[];
  /** A number field's bounds. */
  readonly range?: readonly [number, number];
}

const startDate = {
  rule: isoDateRule,
  input: 'date',
  label: localizable('Start date'),
  description: localizable('ISO 8601; omitted: from the earliest record'),
} as const;
const endDate = {
  rule: isoDateRule,
  input: 'date',
  label: localizable('End date'),
  description: localizable('ISO 8601; omitted: to the latest record'),
} as const;
const sort = {
  rule: sortRule,
  input: 'choice',
  label: localizable('Sort'),
  description: localizable('asc or desc (default desc, newest first)'),
  choices: [
    ['', localizable('default (desc)')],
    ['desc', localizable('desc (newest first)')],
    ['asc', localizable('asc (oldest first)')],
  ],
} as const;
const page = {
  rule: pageRule,
  input: 'number',
  label: localizable('Page'),
  description: localizable('1-based page number (default 1)'),
  range: [1, Number.MAX_SAFE_INTEGER],
} as const;
const pageSize = {
  rule: countRule(MAX_PAGE_SIZE),
  input: 'number',
  label: localizable('Page size'),
  description: localizable('1 to 10,000 records per page'),
  range: [1, MAX_PAGE_SIZE],
} as const;
const flag = (label: string, description: string) =>
  ({ rule: flagRule, input: 'checkbox', label, description }) as const;
const text = <Rule extends z.ZodMiniType>(rule: Rule, label: string, description: string, example: string) =>
  ({ rule, input: 'text', label, description, example }) as const;

interface RouteSpec {
  readonly label: string;
  readonly description: string;
  readonly icon: string;
  readonly method: 'GET';
  /** Path with `{user_id}` and, for quantity, `{metric}` placeholders. */
  readonly pathTemplate: string;
  /**
   * Scope that guards the route. The docs name none for supplements, medications and labs;
   * we assume `profile` (documented in docs/sandbox.md).
   */
  readonly scope: Scope;
  readonly paginated: boolean;
  /**
   * Its requests count against the user's daily request quota, the one budget these routes share;
   * the other routes are not counted (any limit they report is their own).
   */
  readonly dailyQuota?: boolean;
  /**
   * Its records are weeks or months apart (lab results): a new query of it asks for every date, as
   * a week's range would almost always come back empty.
   */
  readonly sparse?: boolean;
  /** Query parameters, named exactly as the API spells them, in the order they are sent. */
  readonly query: Readonly<Record<string, ParamSpec>>;
}

const ROUTE_SPECS = {
  quantity: {
    label: localizable('Quantity'),
    icon: 'graph-line',
    description: localizable('Values of one quantitative metric (steps, heart rate, VO2 max, …)'),
    method: 'GET',
    pathTemplate: '/api/v1/quantity/{user_id}/{metric}',
    scope: 'quantity',
    paginated: true,
    dailyQuota: true,
    query: { startDate, endDate, sort, page, pageSize },
  },
  sleep: {
    label: localizable('Sleep'),
    icon: 'watch',
    description: localizable('Sleep sessions, optionally with stages and metrics'),
    method: 'GET',
    pathTemplate: '/api/v1/sleep/{user_id}',
    scope: 'sleep',
    paginated: true,
    dailyQuota: true,
    query: {
      startDate,
      endDate,
      include_stages: flag(localizable('Include stages'), localizable('Add the stage timeline of each session')),
      include_metrics: flag(localizable('Include metrics'), localizable('Add sleep metrics of each session')),
      sort,
      page,
      pageSize,
    },
  },
  workout: {
    label: localizable('Workout'),
    icon: 'flame',
    description: localizable('Workout sessions, optionally of one HealthKit activity type'),
    method: 'GET',
    pathTemplate: '/api/v1/workout/user/{user_id}',
    scope: 'workout',
    paginated: true,
    query: {
      startDate,
      endDate,
      type: text(
        typeNameRule,
        localizable('Type'),
        localizable('A HealthKit workout activity type'),
        'traditionalStrengthTraining',
      ),
      sort,
      page,
      pageSize,
    },
  },
  profile: {
    label: localizable('Profile'),
    icon: 'person',
    description: localizable("The user's profile: time zone, scopes and biological information"),
    method: 'GET',
    pathTemplate: '/api/v1/profile/{user_id}',
    scope: 'profile',
    paginated: false,
    query: {},
  },
  supplements: {
    label: localizable('Supplements'),
    icon: 'beaker',
    description: localizable('Supplement intake records'),
    method: 'GET',
    pathTemplate: '/api/v1/supplements/{user_id}',
    scope: 'profile',
    paginated: true,
    query: {
      startDate,
      supplementID: text(
        uuidRule,
        localizable('Supplement ID'),
        localizable('Only this supplement'),
        localizable('UUID'),
      ),
      sort,
      page,
      pageSize,
    },
  },
  medications: {
    label: localizable('Medications'),
    icon: 'heart',
    description: localizable('Medication intake records'),
    method: 'GET',
    pathTemplate: '/api/v1/medications/{user_id}',
    scope: 'profile',
    paginated: true,
    query: {
      startDate,
      medicationID: text(
        uuidRule,
        localizable('Medication ID'),
        localizable('Only this medication'),
        localizable('UUID'),
      ),
      sort,
      page,
      pageSize,
    },
  },
  labs: {
    label: localizable('Labs'),
    icon: 'microscope',
    description: localizable('Lab results with LOINC codes and units'),
    method: 'GET',
    pathTemplate: '/api/v1/labs/user/{user_id}',
    scope: 'profile',
    paginated: true,
    sparse: true,
    query: {
      startDate,
      type: text(typeNameRule, localizable('Lab metric'), localizable('A lab metric name'), 'serumALT'),
      sort,
      page,
      pageSize,
    },
  },
} as const satisfies Record<string, RouteSpec>;

type RouteSpecs = typeof ROUTE_SPECS;
export type RouteId = keyof RouteSpecs;

/** A query parameter of a route, as the form and the trees list it. */
export interface RouteParam extends ParamSpec {
  readonly name: string;
}

export interface RouteDefinition extends Omit<RouteSpec, 'query'> {
  readonly id: RouteId;
  /** Its path names a metric (`{metric}`), which a query of it must then give. */
  readonly takesMetric: boolean;
  readonly params: readonly RouteParam[];
}

export const ROUTES: readonly RouteDefinition[] = (Object.keys(ROUTE_SPECS) as RouteId[]).map((id) => {
  const { query, ...rest }: RouteSpec = ROUTE_SPECS[id];
  const params = Object.entries(query).map(([name, spec]) => ({ name, ...spec }));
  return { id, ...rest, takesMetric: rest.pathTemplate.includes('{metric}'), params };
});

export function routeById(id: RouteId): RouteDefinition {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}

type ValueOf<P> = P extends ParamSpec<infer Rule> ? z.output<Rule> : never;
type QuerySpecsOf<R extends RouteId> = RouteSpecs[R]['query'];

/** The query parameters of one route, typed by their rules. */
export type RouteQuery<R extends RouteId> = {
  -readonly [K in keyof QuerySpecsOf<R>]?: ValueOf<QuerySpecsOf<R>[K]> | undefined;
};

type AnyQuerySpecs = QuerySpecsOf<RouteId>;
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type SpecNamed<T, K extends PropertyKey> = T extends Readonly<Record<K, infer P>> ? P : never;

/** The query parameters of any route: what a form, a history entry or a saved query holds. */
export type QueryParams = {
  [K in KeysOfUnion<AnyQuerySpecs>]?: ValueOf<SpecNamed<AnyQuerySpecs, K>> | undefined;
};

/** One API request as the explorer keeps it (never a token, never response data). */
export interface QuerySpec {
  route: RouteId;
  /** Quantity only: the metric name in the path. */
  metric?: string | undefined;
  params: QueryParams;
}

/** HealthKit sleep stage names used by the sandbox and the hypnogram, shallowest first. */
export const SLEEP_STAGES = ['awake', 'asleepREM', 'asleepCore', 'asleepDeep', 'inBed', 'asleepUnspecified'] as const;
export type SleepStage = (typeof SLEEP_STAGES)[number];

/** The extension's URI-handler redirect, registered with the sandbox's demo client. */
export const EXTENSION_ID = 'onetwentyone.onetwentyone-explorer';
export const URI_HANDLER_CALLBACK_PATH = '/auth/callback';
export const LOOPBACK_CALLBACK_PATH = '/callback';

export type MetricCategory = 'activity' | 'heart' | 'body' | 'vitals' | 'nutrition' | 'fitness';

/**
 * How values of a metric combine over a day, week or month: counts add up (steps),
 * rates and levels are averaged with their range (heart rate).
 */
export type Aggregation = 'sum' | 'average';

export interface MetricDefinition {
  /** HealthKit `HKQuantityTypeIdentifier` name without the prefix, first letter lower-cased. */
  readonly name: string;
  readonly label: string;
  readonly category: MetricCategory;
  readonly unit: string;
  readonly aggregation: Aggregation;
}

export const METRIC_CATEGORIES: readonly { id: MetricCategory; label: string }[] = [
  { id: 'activity', label: localizable('Activity') },
  { id: 'heart', label: localizable('Heart') },
  { id: 'fitness', label: localizable('Fitness') },
  { id: 'body', label: localizable('Body') },
  { id: 'vitals', label: localizable('Vitals') },
  { id: 'nutrition', label: localizable('Nutrition') },
];

const metric = (
  name: string,
  label: string,
  category: MetricCategory,
  unit: string,
  aggregation: Aggregation,
): MetricDefinition => ({ name, label, category, unit, aggregation });

/**
 * The metrics the explorer knows. The API's allowed list is not published (only `stepCount` and
 * `appleExerciseTime` are confirmed), so the tree also offers free entry of any metric name.
 */
export const METRICS: readonly MetricDefinition[] = [
  metric('stepCount', localizable('Steps'), 'activity', 'count', 'sum'),
  metric('distanceWalkingRunning', localizable('Walking + running distance'), 'activity', 'm', 'sum'),
  metric('flightsClimbed', localizable('Flights climbed'), 'activity', 'count', 'sum'),
  metric('activeEnergyBurned', localizable('Active energy'), 'activity', 'kcal', 'sum'),
  metric('basalEnergyBurned', localizable('Resting energy'), 'activity', 'kcal', 'sum'),
  metric('appleExerciseTime', localizable('Exercise time'), 'activity', 'min', 'sum'),
  metric('appleStandTime', localizable('Stand time'), 'activity', 'min', 'sum'),
  metric('heartRate', localizable('Heart rate'), 'heart', 'count/min', 'average'),
  metric('restingHeartRate', localizable('Resting heart rate'), 'heart', 'count/min', 'average'),
  metric('walkingHeartRateAverage', localizable('Walking heart rate average'), 'heart', 'count/min', 'average'),
  metric('heartRateVariabilitySDNN', localizable('Heart rate variability (SDNN)'), 'heart', 'ms', 'average'),
  metric('vo2Max', localizable('VO2 max'), 'fitness', 'mL/min·kg', 'average'),
  metric('walkingSpeed', localizable('Walking speed'), 'fitness', 'm/s', 'average'),
  metric('bodyMass', localizable('Weight'), 'body', 'kg', 'average'),
  metric('bodyMassIndex', localizable('Body mass index'), 'body', 'count', 'average'),
  metric('bodyFatPercentage', localizable('Body fat'), 'body', '%', 'average'),
  metric('height', localizable('Height'), 'body', 'cm', 'average'),
  metric('oxygenSaturation', localizable('Blood oxygen'), 'vitals', '%', 'average'),
  metric('respiratoryRate', localizable('Respiratory rate'), 'vitals', 'count/min', 'average'),
  metric('bodyTemperature', localizable('Body temperature'), 'vitals', 'degC', 'average'),
  metric('bloodPressureSystolic', localizable('Blood pressure (systolic)'), 'vitals', 'mmHg', 'average'),
  metric('bloodPressureDiastolic', localizable('Blood pressure (diastolic)'), 'vitals', 'mmHg', 'average'),
  metric('bloodGlucose', localizable('Blood glucose'), 'vitals', 'mg/dL', 'average'),
  metric('dietaryEnergyConsumed', localizable('Dietary energy'), 'nutrition', 'kcal', 'sum'),
  metric('dietaryProtein', localizable('Protein'), 'nutrition', 'g', 'sum'),
  metric('dietaryCarbohydrates', localizable('Carbohydrates'), 'nutrition', 'g', 'sum'),
  metric('dietaryWater', localizable('Water'), 'nutrition', 'mL', 'sum'),
  metric('dietaryCaffeine', localizable('Caffeine'), 'nutrition', 'mg', 'sum'),
];

export function metricByName(name: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.name === name);
}
