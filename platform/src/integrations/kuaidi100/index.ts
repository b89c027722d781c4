export {
  Kuaidi100Client,
  KUAIDI100_COMPANY,
  kuaidi100PageUrl,
  kuaidi100Sign,
  type Kuaidi100Credentials,
  type ParcelQuery,
  type ParcelRoute,
  type TrackingProvider,
} from './kuaidi100.client';
