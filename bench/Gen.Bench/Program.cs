System.Console.WriteLine("Gen benchmarks: coming with the runtime.");
