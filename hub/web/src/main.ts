// One bundle for the screens; <body data-page> (set by hub/routes/web) picks one.
import { applyLang, setLang } from './i18n/index.ts';
import './components/sh-toast.ts';

applyLang();
const page = document.body.dataset.page;
if (page === 'tv') {
  // The hall screen is Arabic whatever the last staff member chose on this browser.
  setLang('ar', false);
  await import('./pages/sh-tv.ts');
  document.body.append(document.createElement('sh-tv'));
} else if (page === 'kiosk') {
  // A kiosk's touch screen: Arabic, whatever a browser last chose.
  setLang('ar', false);
  await import('./pages/sh-kiosk-screen.ts');
  document.body.append(document.createElement('sh-kiosk-screen'));
} else if (page === 'governorate') {
  // The governorate's live board (hub/central/routes.ts), only on a hub in that role.
  await import('./pages/sh-governorate.ts');
  document.body.append(document.createElement('sh-governorate'));
} else if (page === 'status') {
  await import('./pages/sh-status.ts');
  document.body.append(document.createElement('sh-status'));
} else {
  await import('./components/sh-app.ts');
  document.body.append(document.createElement('sh-app'));
}
