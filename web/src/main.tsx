import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App, preloadOpeningPage } from './App';
import { loadLanguage, type Language } from './i18n';

function Root() {
  const [language, setLanguage] = useState<Language>('zh');
  const choose = (l: Language) => {
    // Chinese is there at once; English shows when its catalogue has arrived.
    void loadLanguage(l).then(() => {
      localStorage.setItem('fabpool.language', l);
      document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
      setLanguage(l);
    });
  };
  useEffect(() => {
    if (localStorage.getItem('fabpool.language') === 'en') choose('en');
  }, []);
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS}>
      <App language={language} onLanguage={choose} />
    </ConfigProvider>
  );
}

const root = document.getElementById('root');
// The opening page's chunk first (a fraction of a second at most), then the first render.
if (root !== null)
  void preloadOpeningPage(300).then(() => {
    createRoot(root).render(
      <StrictMode>
        <BrowserRouter>
          <Root />
        </BrowserRouter>
      </StrictMode>,
    );
  });
