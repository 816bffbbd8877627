import './styles.css';
import { startApp } from './app.js';

void startApp(document.getElementById('app')!);
