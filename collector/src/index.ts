// `npm start`: the collector for production, configured by the environment.
import { runServe } from './commands/serve';

void runServe();
