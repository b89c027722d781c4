import { createSSRApp } from 'vue';
import App from './App.vue';

// uni-app calls this factory on every platform (and for h5 SSR): it must return the app, not mount it.
export function createApp() {
  const app = createSSRApp(App);
  return { app };
}
