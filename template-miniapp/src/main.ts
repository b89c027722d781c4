import { createSSRApp } from 'vue';
import App from './App.vue';
import { trackPageView } from './stores/tracker';

// uni-app calls this factory on every platform (and for h5 SSR): it must return the app, not mount it.
export function createApp() {
  const app = createSSRApp(App);
  // Every page shown is a page view (the shop's figures); components and the app itself are not pages.
  app.mixin({
    onShow(this: { $mpType?: string }) {
      if (this.$mpType === 'page') trackPageView();
    },
  });
  return { app };
}
