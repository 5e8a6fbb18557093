package dev.llmlab.cli.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a terminal to replay the live view's output: text, newline, carriage return, cursor up
 * ({@code ESC[nA}), clear to end of screen ({@code ESC[J}); colours are dropped. Returns the final screen.
 */
final class TerminalEmulator {
    private TerminalEmulator() {
    }

    static List<String> render(String output) {
        List<StringBuilder> lines = new ArrayList<>();
        lines.add(new StringBuilder());
        int row = 0;
        int col = 0;
        int i = 0;
        while (i < output.length()) {
            char c = output.charAt(i);
            if (c == '\u001b' && i + 1 < output.length() && output.charAt(i + 1) == '[') {
                int end = i + 2;
                while (!Character.isLetter(output.charAt(end))) {
                    end++;
                }
                String params = output.substring(i + 2, end);
                switch (output.charAt(end)) {
                    case 'A' -> row = Math.max(0, row - (params.isEmpty() ? 1 : Integer.parseInt(params)));
                    case 'J' -> {
                        lines.get(row).setLength(Math.min(col, lines.get(row).length()));
                        while (lines.size() > row + 1) {
                            lines.removeLast();
                        }
                    }
                    default -> {
                    }
                }
                i = end + 1;
                continue;
            }
            if (c == '\n') {
                row++;
                col = 0;
                if (row == lines.size()) {
                    lines.add(new StringBuilder());
                }
            } else if (c == '\r') {
                col = 0;
            } else {
                StringBuilder line = lines.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
            i++;
        }
        List<String> screen = new ArrayList<>();
        lines.forEach(l -> screen.add(l.toString()));
        while (!screen.isEmpty() && screen.getLast().isEmpty()) {
            screen.removeLast();
        }
        return screen;
    }
}
