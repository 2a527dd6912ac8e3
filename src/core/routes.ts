/**
 * The OneTwentyOne API's data routes and quantity metrics, as pure data.
 * Shared by the API client, the sandbox, the tree and the query forms, so they can never disagree.
 * No zod or undici here: the activation bundle may import this file.
 * @see ../../../shared/docs/onetwentyone-api.md §7–§13 and §17
 */

export type RouteId = 'quantity' | 'sleep' | 'workout' | 'profile' | 'supplements' | 'medications' | 'labs';

export type Scope = 'quantity' | 'sleep' | 'workout' | 'profile';

export const ALL_SCOPES: readonly Scope[] = ['quantity', 'sleep', 'workout', 'profile'];

export type ParamKind = 'date' | 'sort' | 'page' | 'pageSize' | 'boolean' | 'string' | 'uuid';

export interface RouteParam {
  /** Query-string name exactly as the API spells it (camelCase for most, snake_case for sleep flags). */
  readonly name: string;
  readonly kind: ParamKind;
  readonly label: string;
  readonly description: string;
}

export interface RouteDefinition {
  readonly id: RouteId;
  readonly label: string;
  readonly description: string;
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
  readonly params: readonly RouteParam[];
  readonly icon: string;
}

const startDate: RouteParam = {
  name: 'startDate',
  kind: 'date',
  label: 'Start date',
  description: 'ISO 8601; omitted: from the earliest record',
};
const endDate: RouteParam = {
  name: 'endDate',
  kind: 'date',
  label: 'End date',
  description: 'ISO 8601; omitted: to the latest record',
};
const sort: RouteParam = {
  name: 'sort',
  kind: 'sort',
  label: 'Sort',
  description: 'asc or desc (default desc, newest first)',
};
const page: RouteParam = { name: 'page', kind: 'page', label: 'Page', description: '1-based page number (default 1)' };
const pageSize: RouteParam = {
  name: 'pageSize',
  kind: 'pageSize',
  label: 'Page size',
  description: '1 to 10,000 records per page',
};

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'quantity',
    label: 'Quantity',
    icon: 'graph-line',
    scope: 'quantity',
    paginated: true,
    dailyQuota: true,
    description: 'Values of one quantitative metric (steps, heart rate, VO2 max, …)',
    pathTemplate: '/api/v1/quantity/{user_id}/{metric}',
    params: [startDate, endDate, sort, page, pageSize],
  },
  {
    id: 'sleep',
    label: 'Sleep',
    icon: 'watch',
    scope: 'sleep',
    paginated: true,
    dailyQuota: true,
    description: 'Sleep sessions, optionally with stages and metrics',
    pathTemplate: '/api/v1/sleep/{user_id}',
    params: [
      startDate,
      endDate,
      {
        name: 'include_stages',
        kind: 'boolean',
        label: 'Include stages',
        description: 'Add the stage timeline of each session',
      },
      {
        name: 'include_metrics',
        kind: 'boolean',
        label: 'Include metrics',
        description: 'Add sleep metrics of each session',
      },
      sort,
      page,
      pageSize,
    ],
  },
  {
    id: 'workout',
    label: 'Workout',
    icon: 'flame',
    scope: 'workout',
    paginated: true,
    description: 'Workout sessions, optionally of one HealthKit activity type',
    pathTemplate: '/api/v1/workout/user/{user_id}',
    params: [
      startDate,
      endDate,
      { name: 'type', kind: 'string', label: 'Type', description: 'e.g. traditionalStrengthTraining' },
      sort,
      page,
      pageSize,
    ],
  },
  {
    id: 'profile',
    label: 'Profile',
    icon: 'person',
    scope: 'profile',
    paginated: false,
    description: "The user's profile: time zone, scopes and biological information",
    pathTemplate: '/api/v1/profile/{user_id}',
    params: [],
  },
  {
    id: 'supplements',
    label: 'Supplements',
    icon: 'beaker',
    scope: 'profile',
    paginated: true,
    description: 'Supplement intake records',
    pathTemplate: '/api/v1/supplements/{user_id}',
    params: [
      startDate,
      { name: 'supplementID', kind: 'uuid', label: 'Supplement ID', description: 'Only this supplement' },
      sort,
      page,
      pageSize,
    ],
  },
  {
    id: 'medications',
    label: 'Medications',
    icon: 'heart',
    scope: 'profile',
    paginated: true,
    description: 'Medication intake records',
    pathTemplate: '/api/v1/medications/{user_id}',
    params: [
      startDate,
      { name: 'medicationID', kind: 'uuid', label: 'Medication ID', description: 'Only this medication' },
      sort,
      page,
      pageSize,
    ],
  },
  {
    id: 'labs',
    label: 'Labs',
    icon: 'microscope',
    scope: 'profile',
    paginated: true,
    sparse: true,
    description: 'Lab results with LOINC codes and units',
    pathTemplate: '/api/v1/labs/user/{user_id}',
    params: [
      startDate,
      { name: 'type', kind: 'string', label: 'Lab metric', description: 'e.g. serumALT' },
      sort,
      page,
      pageSize,
    ],
  },
];

export function routeById(id: RouteId): RouteDefinition {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}

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
  { id: 'activity', label: 'Activity' },
  { id: 'heart', label: 'Heart' },
  { id: 'fitness', label: 'Fitness' },
  { id: 'body', label: 'Body' },
  { id: 'vitals', label: 'Vitals' },
  { id: 'nutrition', label: 'Nutrition' },
];

/**
 * The metrics the explorer knows. The API's allowed list is not published (only `stepCount` and
 * `appleExerciseTime` are confirmed), so the tree also offers free entry of any metric name.
 */
export const METRICS: readonly MetricDefinition[] = [
  { name: 'stepCount', label: 'Steps', category: 'activity', unit: 'count', aggregation: 'sum' },
  {
    name: 'distanceWalkingRunning',
    label: 'Walking + running distance',
    category: 'activity',
    unit: 'm',
    aggregation: 'sum',
  },
  { name: 'flightsClimbed', label: 'Flights climbed', category: 'activity', unit: 'count', aggregation: 'sum' },
  { name: 'activeEnergyBurned', label: 'Active energy', category: 'activity', unit: 'kcal', aggregation: 'sum' },
  { name: 'basalEnergyBurned', label: 'Resting energy', category: 'activity', unit: 'kcal', aggregation: 'sum' },
  { name: 'appleExerciseTime', label: 'Exercise time', category: 'activity', unit: 'min', aggregation: 'sum' },
  { name: 'appleStandTime', label: 'Stand time', category: 'activity', unit: 'min', aggregation: 'sum' },
  { name: 'heartRate', label: 'Heart rate', category: 'heart', unit: 'count/min', aggregation: 'average' },
  {
    name: 'restingHeartRate',
    label: 'Resting heart rate',
    category: 'heart',
    unit: 'count/min',
    aggregation: 'average',
  },
  {
    name: 'walkingHeartRateAverage',
    label: 'Walking heart rate average',
    category: 'heart',
    unit: 'count/min',
    aggregation: 'average',
  },
  {
    name: 'heartRateVariabilitySDNN',
    label: 'Heart rate variability (SDNN)',
    category: 'heart',
    unit: 'ms',
    aggregation: 'average',
  },
  { name: 'vo2Max', label: 'VO2 max', category: 'fitness', unit: 'mL/min·kg', aggregation: 'average' },
  { name: 'walkingSpeed', label: 'Walking speed', category: 'fitness', unit: 'm/s', aggregation: 'average' },
  { name: 'bodyMass', label: 'Weight', category: 'body', unit: 'kg', aggregation: 'average' },
  { name: 'bodyMassIndex', label: 'Body mass index', category: 'body', unit: 'count', aggregation: 'average' },
  { name: 'bodyFatPercentage', label: 'Body fat', category: 'body', unit: '%', aggregation: 'average' },
  { name: 'height', label: 'Height', category: 'body', unit: 'cm', aggregation: 'average' },
  { name: 'oxygenSaturation', label: 'Blood oxygen', category: 'vitals', unit: '%', aggregation: 'average' },
  { name: 'respiratoryRate', label: 'Respiratory rate', category: 'vitals', unit: 'count/min', aggregation: 'average' },
  { name: 'bodyTemperature', label: 'Body temperature', category: 'vitals', unit: 'degC', aggregation: 'average' },
  {
    name: 'bloodPressureSystolic',
    label: 'Blood pressure (systolic)',
    category: 'vitals',
    unit: 'mmHg',
    aggregation: 'average',
  },
  {
    name: 'bloodPressureDiastolic',
    label: 'Blood pressure (diastolic)',
    category: 'vitals',
    unit: 'mmHg',
    aggregation: 'average',
  },
  { name: 'bloodGlucose', label: 'Blood glucose', category: 'vitals', unit: 'mg/dL', aggregation: 'average' },
  { name: 'dietaryEnergyConsumed', label: 'Dietary energy', category: 'nutrition', unit: 'kcal', aggregation: 'sum' },
  { name: 'dietaryProtein', label: 'Protein', category: 'nutrition', unit: 'g', aggregation: 'sum' },
  { name: 'dietaryCarbohydrates', label: 'Carbohydrates', category: 'nutrition', unit: 'g', aggregation: 'sum' },
  { name: 'dietaryWater', label: 'Water', category: 'nutrition', unit: 'mL', aggregation: 'sum' },
  { name: 'dietaryCaffeine', label: 'Caffeine', category: 'nutrition', unit: 'mg', aggregation: 'sum' },
];

export function metricByName(name: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.name === name);
}

/** A metric name the API could accept: a HealthKit-style lower-camel identifier. */
export const METRIC_NAME_PATTERN = /^[a-z][A-Za-z0-9]{1,63}$/;

/** HealthKit sleep stage names used by the sandbox and the hypnogram, shallowest first. */
export const SLEEP_STAGES = ['awake', 'asleepREM', 'asleepCore', 'asleepDeep', 'inBed', 'asleepUnspecified'] as const;
export type SleepStage = (typeof SLEEP_STAGES)[number];

export const MAX_PAGE_SIZE = 10_000;
export const DEFAULT_PAGE_SIZE = 1_000;
export const DEFAULT_DAILY_LIMIT = 10_000;

/** The extension's URI-handler redirect, registered with the sandbox's demo client. */
export const EXTENSION_ID = 'onetwentyone.onetwentyone-explorer';
export const URI_HANDLER_CALLBACK_PATH = '/auth/callback';
export const LOOPBACK_CALLBACK_PATH = '/callback';
