System.Console.WriteLine("Gen demo: the runtime lands next.");
