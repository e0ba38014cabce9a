import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { Language } from './i18n';

function Root() {
  const [language, setLanguage] = useState<Language>(() =>
    localStorage.getItem('fabpool.language') === 'en' ? 'en' : 'zh',
  );
  const choose = (l: Language) => {
    localStorage.setItem('fabpool.language', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLanguage(l);
  };
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS}>
      <App language={language} onLanguage={choose} />
    </ConfigProvider>
  );
}

const root = document.getElementById('root');
if (root !== null)
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
