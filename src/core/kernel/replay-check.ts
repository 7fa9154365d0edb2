// One check of the core's replay (`councils verify`, replay.ts), as the features' replay parts report it.
export interface ReplayCheck {
  id: string;
  title: string;
  status: 'pass' | 'fail';
  detail?: string;
  where?: { entry: number };
}
