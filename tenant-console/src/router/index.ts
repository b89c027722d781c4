import { createRouter, createWebHistory } from 'vue-router';
import './meta';
import { installGuards } from './guards';
import { routes } from './routes';

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

installGuards(router);
