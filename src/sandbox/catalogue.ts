/**
 * What the sandbox accepts where the docs say "must be valid": workout types (HealthKit
 * `HKWorkoutActivityType` case names) and lab metrics (with LOINC code and UCUM unit).
 * Quantity metrics come from src/core/routes.ts so the client and the sandbox agree.
 */

export const WORKOUT_TYPES: readonly string[] = [
  'americanFootball', 'archery', 'australianFootball', 'badminton', 'barre', 'baseball', 'basketball', 'bowling',
  'boxing', 'cardioDance', 'climbing', 'cooldown', 'coreTraining', 'cricket', 'crossCountrySkiing', 'crossTraining',
  'curling', 'cycling', 'dance', 'discSports', 'downhillSkiing', 'elliptical', 'equestrianSports', 'fencing',
  'fishing', 'fitnessGaming', 'flexibility', 'functionalStrengthTraining', 'golf', 'gymnastics', 'handCycling',
  'handball', 'highIntensityIntervalTraining', 'hiking', 'hockey', 'hunting', 'jumpRope', 'kickboxing', 'lacrosse',
  'martialArts', 'mindAndBody', 'mixedCardio', 'paddleSports', 'pickleball', 'pilates', 'play',
  'preparationAndRecovery', 'racquetball', 'rowing', 'rugby', 'running', 'sailing', 'skatingSports', 'snowSports',
  'snowboarding', 'soccer', 'socialDance', 'softball', 'squash', 'stairClimbing', 'stairs', 'stepTraining',
  'surfingSports', 'swimBikeRun', 'swimming', 'tableTennis', 'taiChi', 'tennis', 'trackAndField',
  'traditionalStrengthTraining', 'transition', 'underwaterDiving', 'volleyball', 'walking', 'waterFitness',
  'waterPolo', 'waterSports', 'wheelchairRunPace', 'wheelchairWalkPace', 'wrestling', 'yoga', 'other',
];

export interface LabMetric {
  readonly name: string;
  readonly displayName: string;
  readonly loinc: string;
  readonly unit: string;
  readonly typical: number;
  readonly spread: number;
  readonly decimals: number;
}

export const LAB_METRICS: readonly LabMetric[] = [
  { name: 'serumALT', displayName: 'ALT', loinc: '1742-6', unit: 'U/L', typical: 24, spread: 8, decimals: 0 },
  { name: 'serumAST', displayName: 'AST', loinc: '1920-8', unit: 'U/L', typical: 22, spread: 6, decimals: 0 },
  { name: 'hemoglobinA1c', displayName: 'Hemoglobin A1c', loinc: '4548-4', unit: '%', typical: 5.3, spread: 0.3, decimals: 1 },
  { name: 'glucoseFasting', displayName: 'Glucose (fasting)', loinc: '1558-6', unit: 'mg/dL', typical: 88, spread: 8, decimals: 0 },
  { name: 'totalCholesterol', displayName: 'Total cholesterol', loinc: '2093-3', unit: 'mg/dL', typical: 182, spread: 18, decimals: 0 },
  { name: 'ldlCholesterol', displayName: 'LDL cholesterol', loinc: '13457-7', unit: 'mg/dL', typical: 104, spread: 14, decimals: 0 },
  { name: 'hdlCholesterol', displayName: 'HDL cholesterol', loinc: '2085-9', unit: 'mg/dL', typical: 58, spread: 7, decimals: 0 },
  { name: 'triglycerides', displayName: 'Triglycerides', loinc: '2571-8', unit: 'mg/dL', typical: 96, spread: 22, decimals: 0 },
  { name: 'serumCreatinine', displayName: 'Creatinine', loinc: '2160-0', unit: 'mg/dL', typical: 0.86, spread: 0.08, decimals: 2 },
  { name: 'tsh', displayName: 'TSH', loinc: '3016-3', unit: 'm[IU]/L', typical: 1.9, spread: 0.5, decimals: 2 },
  { name: 'vitaminD', displayName: 'Vitamin D, 25-hydroxy', loinc: '1989-3', unit: 'ng/mL', typical: 34, spread: 7, decimals: 0 },
  { name: 'hemoglobin', displayName: 'Hemoglobin', loinc: '718-7', unit: 'g/dL', typical: 13.8, spread: 0.6, decimals: 1 },
  { name: 'ferritin', displayName: 'Ferritin', loinc: '2276-4', unit: 'ng/mL', typical: 80, spread: 25, decimals: 0 },
];

export function labMetricByName(name: string): LabMetric | undefined {
  return LAB_METRICS.find((m) => m.name === name);
}
